import type { Answers, QuestionnaireDefinition, ScoringTier } from '../../../domain/questionnaire.js';
import type { ReviewScore } from '../../../domain/review-score.js';

/** The review API's answers as the console pages read them (src/api/reviews/schemas.ts). */

export interface ReviewSummary {
  id: string;
  kind: string;
  status: string;
  questionnaire: { id: string; version: number; name: string };
  conversation: { id: string; deleted: boolean; deletedAt: string | null };
  planId: string | null;
  calibrationId: string | null;
  agent: { username: string | null; groups: string[] };
  evaluator: { id: string; username: string | null } | null;
  scorePercent: number | null;
  tier: { name: string; needsTraining: boolean } | null;
  needsTraining: boolean;
  failed: boolean;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  revealedAt: string | null;
  acknowledgedAt: string | null;
  includeInReports: boolean;
  scoresFrozen: boolean;
  deletedAt: string | null;
}

export interface ReviewDispute {
  id: string;
  openedBy: string;
  openedAt: string;
  comment: string;
  suggestedAnswers: Answers;
  resolution: string | null;
  resolutionComment: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
}

export interface Review extends ReviewSummary {
  answers: Answers;
  score: ReviewScore | null;
  completedBy: string | null;
  scoresFrozenAt: string | null;
  deleteReason: string | null;
  disputes: ReviewDispute[];
  /** The texts of the review's own version's questions (GET /v1/reviews/{reviewId} only). */
  questions?: ReviewQuestion[];
}

export interface ReviewQuestion {
  id: string;
  sectionId: string;
  section: string;
  text: string;
}

export interface ReviewEvent {
  id: number;
  step: string;
  actor: string;
  conversationId: string;
  detail: Record<string, unknown>;
  at: string;
}

export interface QuestionnaireVersion {
  questionnaireId: string;
  version: number;
  definition: QuestionnaireDefinition;
  tiers: ScoringTier[];
}

export interface QuestionnaireListItem {
  id: string;
  name: string;
  state: string;
}

interface Spread {
  mean: number | null;
  meanAbsoluteDeviation: number | null;
  range: number | null;
}

export interface CalibrationResult {
  calibrationId: string;
  conversationId: string;
  questionnaire: { id: string; name: string; version: number };
  createdBy: string;
  createdAt: string;
  evaluators: number;
  completed: number;
  reviews: {
    reviewId: string;
    evaluator: { id: string; username: string; fullName: string };
    status: string;
    completedAt: string | null;
    answers: Record<string, unknown> | null;
    score: Record<string, unknown> | null;
  }[];
  questions: ({ questionId: string; sectionId: string; text: string; fractions: { reviewId: string; evaluatorId: string; fraction: number | null; na: boolean }[] } & Spread)[];
  total: { percents: { reviewId: string; evaluatorId: string; percent: number | null; deviation: number | null }[] } & Spread;
}
