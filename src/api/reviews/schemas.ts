import { z } from '@hono/zod-openapi';
import { answersSchema } from '../../domain/questionnaire.js';
import { DISPUTE_RESOLUTIONS } from '../../reviews/review-disputes.js';
import { REVIEW_STEPS } from '../../reviews/review-events.js';
import { pageQuerySchema } from '../pagination.js';

export const REVIEW_STATUSES = ['waiting', 'in-progress', 'completed', 'deleted'] as const;

const timestamp = z.string().openapi({ format: 'date-time' });
const reason = z.string().trim().min(1).max(2000);

export const reviewIdParams = z.object({ reviewId: z.uuid() });
export const disputeParams = z.object({ reviewId: z.uuid(), disputeId: z.uuid() });

export const reviewListQuerySchema = pageQuerySchema.extend({
  status: z.enum(REVIEW_STATUSES).optional().openapi({ description: 'Only reviews in this state (by default every state but deleted)' }),
  evaluatorId: z.union([z.uuid(), z.literal('me')]).optional().openapi({ description: "The evaluator's user id, or `me`" }),
  agent: z.string().min(1).max(256).optional().openapi({ description: "The reviewed agent's username" }),
  questionnaireId: z.uuid().optional(),
  planId: z.uuid().optional(),
  conversationId: z.uuid().optional(),
  overdue: z.enum(['true', 'false']).optional().openapi({ description: 'Only reviews past (or not past) their due time and not finished' }),
});

const reviewScoreSchema = z
  .object({
    percent: z.number().nullable(),
    points: z.object({ earned: z.number(), possible: z.number() }),
    failed: z.boolean(),
    criticalFailures: z.array(z.object({ questionId: z.string(), sectionId: z.string(), effect: z.enum(['fail-section', 'fail-all']) })),
    unscoredReason: z.literal('all-not-applicable').nullable(),
    tier: z.object({ name: z.string(), needsTraining: z.boolean() }).nullable(),
    sections: z.array(z.object({ id: z.string(), weight: z.number(), percent: z.number().nullable(), failed: z.boolean() })),
    questions: z.array(
      z.object({ id: z.string(), sectionId: z.string(), na: z.boolean(), answered: z.boolean(), fraction: z.number().nullable(), earned: z.number(), possible: z.number() }),
    ),
  })
  .openapi('ReviewScore');

export const reviewSummarySchema = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ description: 'plan, manual or calibration' }),
    status: z.string().openapi({ description: 'waiting, in-progress, completed or deleted' }),
    questionnaire: z.object({ id: z.uuid(), version: z.number().int(), name: z.string() }),
    conversation: z
      .object({ id: z.uuid(), deleted: z.boolean(), deletedAt: timestamp.nullable() })
      .openapi({ description: 'A conversation deleted after its retention window stays named here with its tombstone time' }),
    planId: z.uuid().nullable(),
    calibrationId: z.uuid().nullable(),
    agent: z.object({ username: z.string().nullable(), groups: z.array(z.string()) }),
    evaluator: z.object({ id: z.uuid(), username: z.string().nullable() }).nullable(),
    scorePercent: z.number().nullable(),
    tier: z.object({ name: z.string(), needsTraining: z.boolean() }).nullable(),
    needsTraining: z.boolean(),
    failed: z.boolean(),
    dueAt: timestamp.nullable(),
    overdue: z.boolean(),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    revealedAt: timestamp.nullable(),
    acknowledgedAt: timestamp.nullable(),
    includeInReports: z.boolean(),
    scoresFrozen: z.boolean(),
    deletedAt: timestamp.nullable(),
  })
  .openapi('ReviewSummary');

export const disputeSchema = z
  .object({
    id: z.uuid(),
    openedBy: z.string(),
    openedAt: timestamp,
    comment: z.string(),
    suggestedAnswers: answersSchema,
    resolution: z.string().nullable(),
    resolutionComment: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    resolvedAt: timestamp.nullable(),
    scoreBefore: z.number().nullable(),
    scoreAfter: z.number().nullable(),
  })
  .openapi('ReviewDispute');

export const reviewSchema = reviewSummarySchema
  .extend({
    answers: answersSchema,
    score: reviewScoreSchema.nullable(),
    completedBy: z.uuid().nullable(),
    scoresFrozenAt: timestamp.nullable(),
    deleteReason: z.string().nullable(),
    disputes: z.array(disputeSchema),
  })
  .openapi('Review');

/** One review with the texts of its own version's questions, so a reader without access to questionnaires (an agent) knows what was asked. */
export const reviewDetailSchema = reviewSchema
  .extend({
    questions: z
      .array(z.object({ id: z.string(), sectionId: z.string(), section: z.string(), text: z.string() }))
      .openapi({ description: "The questions of the review's questionnaire version, in order: ids, section titles and texts (no weights or tiers)" }),
  })
  .openapi('ReviewDetail');

export const reviewPageSchema = z.object({ items: z.array(reviewSummarySchema), nextCursor: z.string().nullable() });

export const reviewEventSchema = z
  .object({ id: z.number().int(), step: z.string().openapi({ description: `One of ${REVIEW_STEPS.join(', ')}` }), actor: z.string(), conversationId: z.uuid(), detail: z.record(z.string(), z.unknown()), at: timestamp })
  .openapi('ReviewEvent');
export const reviewHistorySchema = z.object({ items: z.array(reviewEventSchema), nextCursor: z.string().nullable() });

export const createReviewBodySchema = z
  .object({
    conversationId: z.uuid(),
    questionnaireId: z.uuid(),
    evaluatorId: z.uuid().optional().openapi({ description: 'Who reviews it; by default the caller, when they are an evaluator' }),
    dueAt: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi('NewReview');

export const answersBodySchema = z.object({ answers: answersSchema }).openapi('ReviewDraft');
export const completeBodySchema = z.object({ answers: answersSchema.optional().openapi({ description: 'Merged over the saved draft' }) });
export const reasonBodySchema = z.object({ reason });
export const reallocateBodySchema = z.object({ evaluatorId: z.uuid(), reason: reason.optional() });
export const bulkReallocationBodySchema = z.object({
  fromEvaluatorId: z.uuid(),
  toEvaluatorIds: z
    .array(z.uuid())
    .min(1)
    .max(500)
    .optional()
    .openapi({ description: "By default every enabled evaluator of each review's questionnaire" }),
});
export const bulkReallocationSchema = z
  .object({
    fromEvaluatorId: z.uuid(),
    reallocated: z.array(z.object({ reviewId: z.uuid(), conversationId: z.uuid(), evaluatorId: z.uuid() })),
    unassigned: z.array(z.object({ reviewId: z.uuid(), conversationId: z.uuid(), reason: z.string() })),
    assignedPerEvaluator: z.record(z.string(), z.number().int()),
  })
  .openapi('ReviewReallocation');
export const replaceBodySchema = z.object({ conversationId: z.uuid(), reason: reason.optional() });
export const deleteBodySchema = z.object({ reason: reason.optional().openapi({ description: 'Required to delete a completed review' }) });
export const revealBodySchema = z.object({ revealed: z.boolean() });
export const includeBodySchema = z.object({ included: z.boolean() });
export const acknowledgementBodySchema = z.object({ comment: z.string().max(4000).optional() });
export const disputeBodySchema = z.object({
  comment: z.string().trim().min(1, 'a dispute needs a comment').max(4000),
  suggestedAnswers: answersSchema.optional().openapi({ description: "The answers the agent thinks right, checked against the review's version" }),
});
export const resolutionBodySchema = z.object({
  resolution: z.enum(DISPUTE_RESOLUTIONS),
  comment: z.string().trim().min(1).max(4000),
  answers: answersSchema.optional().openapi({ description: 'For partially-accepted: the answers that change (the score is recomputed from them)' }),
});
export const resolutionSchema = z.object({ review: reviewSchema, dispute: disputeSchema }).openapi('ReviewDisputeResolution');
