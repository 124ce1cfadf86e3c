import type { QuestionnaireDefinition } from './questionnaire.js';
import type { ReviewScore } from './review-score.js';

/**
 * How far evaluators' scores of one calibration lie apart, in percentage points: the mean absolute
 * deviation from their mean and the range (max - min). Pure, so the calibration page and its tests agree.
 */
export interface Spread {
  mean: number | null;
  meanAbsoluteDeviation: number | null;
  range: number | null;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** The spread of percents (0..100); null figures when nothing counts. */
export function spreadOf(percents: readonly number[]): Spread {
  if (percents.length === 0) return { mean: null, meanAbsoluteDeviation: null, range: null };
  const mean = percents.reduce((sum, value) => sum + value, 0) / percents.length;
  const deviation = percents.reduce((sum, value) => sum + Math.abs(value - mean), 0) / percents.length;
  return { mean: round2(mean), meanAbsoluteDeviation: round2(deviation), range: round2(Math.max(...percents) - Math.min(...percents)) };
}

/** One evaluator's review in a calibration, as far as the spread needs it. */
export interface CalibrationTake {
  reviewId: string;
  evaluatorId: string;
  completed: boolean;
  score: ReviewScore | null;
}

export interface QuestionSpread extends Spread {
  questionId: string;
  sectionId: string;
  text: string;
  /** Each evaluator's fraction (0..1) as the score counted it; null when not completed or the question did not count. */
  fractions: { reviewId: string; evaluatorId: string; fraction: number | null; na: boolean }[];
}

export interface TotalSpread extends Spread {
  /** Each evaluator's percent and its signed deviation from the mean of the completed ones, in percentage points. */
  percents: { reviewId: string; evaluatorId: string; percent: number | null; deviation: number | null }[];
}

/**
 * Per question and in total, over completed reviews only. Question fractions are compared as percents
 * (a fraction of 0.5 against 1 is 50 points apart); a question a review did not count (N/A skipped,
 * unanswered) leaves that review out of the question's spread.
 */
export function calibrationSpread(definition: QuestionnaireDefinition, takes: readonly CalibrationTake[]): { questions: QuestionSpread[]; total: TotalSpread } {
  const completed = takes.filter((take) => take.completed && take.score !== null);
  const questions = definition.sections.flatMap((section) =>
    section.questions
      .filter((question) => question.type !== 'free-text')
      .map((question): QuestionSpread => {
        const fractions = takes.map((take) => {
          const scored = take.completed ? take.score?.questions.find((candidate) => candidate.id === question.id) : undefined;
          return { reviewId: take.reviewId, evaluatorId: take.evaluatorId, fraction: scored?.fraction ?? null, na: scored?.na ?? false };
        });
        const counted = fractions.flatMap((entry) => (entry.fraction === null ? [] : [entry.fraction * 100]));
        return { questionId: question.id, sectionId: section.id, text: question.text, fractions, ...spreadOf(counted) };
      }),
  );
  const counted = completed.flatMap((take) => (take.score!.percent === null ? [] : [take.score!.percent]));
  const spread = spreadOf(counted);
  const mean = counted.length === 0 ? null : counted.reduce((sum, value) => sum + value, 0) / counted.length;
  const percents = takes.map((take) => {
    const percent = take.completed ? (take.score?.percent ?? null) : null;
    return { reviewId: take.reviewId, evaluatorId: take.evaluatorId, percent, deviation: percent === null || mean === null ? null : round2(percent - mean) };
  });
  return { questions, total: { ...spread, percents } };
}
