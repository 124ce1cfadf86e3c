import { answerTo, type Answer, type Answers, type Question, type QuestionnaireDefinition, type ScoringTier } from './questionnaire.js';

/**
 * The one answer to "what did this review score?": a pure function of the answers and the questionnaire
 * version, so the review page, reports and exports never disagree.
 *
 * - An answer maps to a fraction in [0, 1]: yes-no 1/0; yes-partial-no 1/0.5/0; scale-1-5 (v-1)/4;
 *   scale-0-5 v/5; single-choice the option's score over the highest option score; multiple-choice the
 *   chosen scores over all option scores, at most 1; numeric-range (v-min)/(max-min), clamped. A question
 *   earns fraction × weight of a possible weight. Free text is never scored.
 * - Unanswered questions, and values no type accepts, are not scored: completeness is `answerProblems`'.
 *   An answer marked N/A is N/A whatever value it also carries.
 * - N/A by the version's method: `skip` leaves it out; `section-actual-average` counts it with the mean
 *   fraction of its section's actual answers; `questionnaire-actual-average` with that of all actual
 *   answers; `section-possible-average` with the mean over its section's scored questions of each one's
 *   mean possible fraction (0.5 for yes-no, yes-partial-no, scales and ranges; single-choice the mean of its
 *   options' fractions; multiple-choice 0.5, the mean over every selection). With no actual answer to
 *   average it is left out, as with `skip`.
 * - A section scores Σ earned / Σ possible; null when nothing counts.
 * - A critical question answered with a fraction of 0 fails: `fail-section` makes its section 0 % (and
 *   0 points), `fail-all` the whole review 0 % and 0 points. Either way the review is failed and falls in
 *   the lowest tier. Question scores stay what the answers earned.
 * - `percentage`: the mean of the section percents weighted by section weight, over sections with a weight
 *   above 0 and a percent; `points`: total earned over total possible. Null when nothing counts.
 * - Percents and points are rounded to 2 decimals; the tier is that of the rounded percent, the one shown.
 */
export interface QuestionScore {
  id: string;
  sectionId: string;
  na: boolean;
  /** A value was given, or N/A. */
  answered: boolean;
  /** The fraction the question counts with; null when it does not count. */
  fraction: number | null;
  earned: number;
  possible: number;
}

export interface SectionScore {
  id: string;
  weight: number;
  percent: number | null;
  /** A `fail-section` critical question failed in it. */
  failed: boolean;
}

export interface ReviewScore {
  percent: number | null;
  points: { earned: number; possible: number };
  failed: boolean;
  criticalFailures: { questionId: string; sectionId: string; effect: 'fail-section' | 'fail-all' }[];
  unscoredReason: 'all-not-applicable' | null;
  tier: { name: string; needsTraining: boolean } | null;
  sections: SectionScore[];
  questions: QuestionScore[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : sum(values) / values.length);
const clamp01 = (value: number) => Math.min(1, Math.max(0, value));
const isInteger = (value: Answer['value'], min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function optionScores(question: Question): { highest: number; total: number } {
  const scores = (question.options ?? []).map((option) => option.score);
  return { highest: Math.max(0, ...scores), total: sum(scores) };
}

/** The fraction a value earns, or null when the question is not scored or the value is no answer to it. */
function fractionOf(question: Question, value: Answer['value']): number | null {
  const options = question.options ?? [];
  switch (question.type) {
    case 'yes-no':
      return value === 'yes' ? 1 : value === 'no' ? 0 : null;
    case 'yes-partial-no':
      return value === 'yes' ? 1 : value === 'partial' ? 0.5 : value === 'no' ? 0 : null;
    case 'scale-1-5':
      return isInteger(value, 1, 5) ? (value - 1) / 4 : null;
    case 'scale-0-5':
      return isInteger(value, 0, 5) ? value / 5 : null;
    case 'single-choice': {
      const option = options.find((candidate) => candidate.id === value);
      if (!option) return null;
      const { highest } = optionScores(question);
      return highest === 0 ? 0 : option.score / highest;
    }
    case 'multiple-choice': {
      if (!Array.isArray(value)) return null;
      const chosen = [...new Set(value)].map((choice) => options.find((option) => option.id === choice));
      if (chosen.some((option) => option === undefined)) return null;
      const { total } = optionScores(question);
      return total === 0 ? 0 : Math.min(1, sum(chosen.map((option) => option!.score)) / total);
    }
    case 'numeric-range': {
      const range = question.range;
      if (typeof value !== 'number' || !range || range.max <= range.min) return null;
      return clamp01((value - range.min) / (range.max - range.min));
    }
    case 'free-text':
      return null;
  }
}

/** The mean fraction over every answer the question could be given. */
function meanPossibleFraction(question: Question): number {
  if (question.type !== 'single-choice') return 0.5;
  const { highest } = optionScores(question);
  if (highest === 0) return 0;
  return mean((question.options ?? []).map((option) => option.score / highest)) ?? 0;
}

/** How one question stands before N/A is resolved: `fraction` is that of an actual answer. */
interface Standing {
  question: Question;
  sectionId: string;
  na: boolean;
  answered: boolean;
  fraction: number | null;
}

function standingOf(question: Question, sectionId: string, answer: Answer | undefined): Standing {
  if (answer?.na === true) return { question, sectionId, na: true, answered: true, fraction: null };
  const fraction = fractionOf(question, answer?.value);
  const answered = fraction !== null || (question.type === 'free-text' && typeof answer?.value === 'string');
  return { question, sectionId, na: false, answered, fraction };
}

const actualFractions = (standings: readonly Standing[]) => standings.flatMap((standing) => (standing.fraction === null ? [] : [standing.fraction]));

/** The fraction an N/A question counts with, for each section in order; null leaves it out. */
function naFractions(definition: QuestionnaireDefinition, bySection: readonly Standing[][]): (number | null)[] {
  const overall = definition.naMethod === 'questionnaire-actual-average' ? mean(actualFractions(bySection.flat())) : null;
  return definition.sections.map((section, index) => {
    switch (definition.naMethod) {
      case 'skip':
        return null;
      case 'section-actual-average':
        return mean(actualFractions(bySection[index]!));
      case 'questionnaire-actual-average':
        return overall;
      case 'section-possible-average':
        return mean(section.questions.filter((question) => question.type !== 'free-text').map(meanPossibleFraction));
    }
  });
}

/** Each section's question scores, in the definition's order. */
function questionScores(definition: QuestionnaireDefinition, answers: Answers): QuestionScore[][] {
  const bySection = definition.sections.map((section) => section.questions.map((question) => standingOf(question, section.id, answerTo(answers, question.id))));
  const naFraction = naFractions(definition, bySection);
  return bySection.map((standings, index) =>
    standings.map(({ question, sectionId, na, answered, fraction: actual }): QuestionScore => {
      const fraction = na && question.type !== 'free-text' ? naFraction[index]! : actual;
      const counts = fraction !== null;
      return { id: question.id, sectionId, na, answered, fraction, earned: counts ? fraction * question.weight : 0, possible: counts ? question.weight : 0 };
    }),
  );
}

function criticalFailures(definition: QuestionnaireDefinition, bySection: readonly QuestionScore[][]): ReviewScore['criticalFailures'] {
  return definition.sections.flatMap((section, index) =>
    section.questions.flatMap((question, q) => {
      const score = bySection[index]![q]!;
      return question.critical && !score.na && score.fraction === 0 ? [{ questionId: question.id, sectionId: section.id, effect: question.critical }] : [];
    }),
  );
}

export function scoreReview(definition: QuestionnaireDefinition, tiers: readonly ScoringTier[], answers: Answers): ReviewScore {
  const bySection = questionScores(definition, answers);
  const failures = criticalFailures(definition, bySection);
  const failsAll = failures.some((failure) => failure.effect === 'fail-all');
  const failedSections = new Set(failures.filter((failure) => failure.effect === 'fail-section').map((failure) => failure.sectionId));

  const sectionTotals = definition.sections.map((section, index) => {
    const counted = bySection[index]!;
    const failed = failedSections.has(section.id);
    const possible = sum(counted.map((question) => question.possible));
    const earned = failed ? 0 : sum(counted.map((question) => question.earned));
    const percent = failed ? 0 : possible > 0 ? (earned / possible) * 100 : null;
    return { id: section.id, weight: section.weight, failed, earned, possible, percent };
  });

  const possible = sum(sectionTotals.map((section) => section.possible));
  const earned = failsAll ? 0 : sum(sectionTotals.map((section) => section.earned));
  // Whatever the N/A method lends N/A answers, a review without one actual answer has no score and says so.
  const anyActual = bySection.flat().some((question) => !question.na && question.fraction !== null);
  let percent: number | null;
  if (failsAll) {
    percent = 0;
  } else if (!anyActual) {
    percent = null;
  } else if (definition.scoring === 'points') {
    percent = possible > 0 ? (earned / possible) * 100 : null;
  } else {
    // A 0 % section is shown for information only and never moves the score.
    const weighted = sectionTotals.filter((section) => section.weight > 0 && section.percent !== null);
    const totalWeight = sum(weighted.map((section) => section.weight));
    percent = totalWeight > 0 ? sum(weighted.map((section) => section.percent! * section.weight)) / totalWeight : null;
  }

  const shown = percent === null ? null : round2(percent);
  const failed = failures.length > 0;
  const tier = tierFor(tiers, shown, failed);
  return {
    percent: shown,
    points: { earned: round2(earned), possible: round2(possible) },
    failed,
    criticalFailures: failures,
    unscoredReason: shown === null ? 'all-not-applicable' : null,
    tier: tier && { name: tier.name, needsTraining: tier.needsTraining },
    sections: sectionTotals.map((section) => ({ id: section.id, weight: section.weight, percent: section.percent === null ? null : round2(section.percent), failed: section.failed })),
    questions: bySection.flat(),
  };
}

/** The tier a score falls in: from inclusive, to exclusive, except that the tier ending at 100 includes 100. A failed review is in the lowest tier. */
export function tierFor(tiers: readonly ScoringTier[], percent: number | null, failed: boolean): ScoringTier | null {
  if (failed) return tiers.reduce<ScoringTier | null>((lowest, tier) => (lowest === null || tier.from < lowest.from ? tier : lowest), null);
  if (percent === null) return null;
  return tiers.find((tier) => percent >= tier.from && (percent < tier.to || (tier.to === 100 && percent === 100))) ?? null;
}
