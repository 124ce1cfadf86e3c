import type { Executor } from '../db/client.js';
import { answerProblems, type Answers } from '../domain/questionnaire.js';
import { scoreReview, type ReviewScore } from '../domain/review-score.js';
import type { ReviewRow } from './review-change.js';
import { Refusal, refuseProblems } from '../lib/refusal.js';
import { loadQuestionnaireVersion, type QuestionnaireVersionRow } from './questionnaire-versions.js';

/** The version a review was made with: its answers are checked and scored against it, whatever came later. */
export async function versionOf(executor: Executor, review: ReviewRow): Promise<QuestionnaireVersionRow> {
  const version = await loadQuestionnaireVersion(executor, review.questionnaireId, review.questionnaireVersion);
  if (!version) throw new Refusal('conflict', 'Questionnaire version missing', `Questionnaire ${review.questionnaireId} has no version ${review.questionnaireVersion}`);
  return version;
}

/**
 * A 422 naming each answer that does not fit the version (`answers.<questionId>`, or under `prefix`);
 * with `complete`, also each required question left unanswered.
 */
export function refuseBadAnswers(version: QuestionnaireVersionRow, answers: Answers, options: { complete: boolean; prefix?: string }): void {
  const problems = answerProblems(version.definition, answers, { complete: options.complete }).map((problem) =>
    options.prefix ? { ...problem, path: problem.path.replace(/^answers\./, `${options.prefix}.`) } : problem,
  );
  refuseProblems(options.complete ? 'Review incomplete' : 'Invalid answers', problems);
}

/** The columns a score fills, always computed on the server from the answers and the review's own version. */
export function scoreColumns(version: QuestionnaireVersionRow, answers: Answers) {
  const score: ReviewScore = scoreReview(version.definition, version.tiers, answers);
  return {
    answers,
    score,
    scorePercent: score.percent,
    tierName: score.tier?.name ?? null,
    needsTraining: score.tier?.needsTraining ?? false,
    failed: score.failed,
  };
}

export const scoreSummary = (review: Pick<ReviewRow, 'scorePercent' | 'tierName' | 'failed' | 'needsTraining'>) => ({
  scorePercent: review.scorePercent,
  tierName: review.tierName,
  failed: review.failed,
  needsTraining: review.needsTraining,
});
