import { createRoute, z } from '@hono/zod-openapi';
import { quizAnswersSchema } from '../../domain/training-pack.js';
import { groupNameSchema } from '../../identity/user-input.js';
import { jsonBody, jsonContent, jsonResponse, problemResponses } from '../openapi-shared.js';
import { pageQuerySchema } from '../pagination.js';

const tags = ['Training'];

const STATUSES = ['assigned', 'passed', 'failed', 'cancelled'] as const;
const REASONS = ['review', 'onboarding', 'coaching'] as const;

export const assignmentSchema = z
  .object({
    id: z.uuid(),
    packId: z.uuid(),
    packVersion: z.number().int(),
    assigneeUserId: z.uuid(),
    assigneeUsername: z.string(),
    reason: z.enum(REASONS),
    reviewId: z.uuid().nullable(),
    conversationId: z.uuid().nullable().openapi({ description: "The reviewed conversation whose lifecycle records this follow-up's steps" }),
    referenceConversationId: z.uuid().nullable().openapi({ description: 'The conversation the trainee may play (GET /v1/conversations/{id}/media/{sha256})' }),
    coachingGroup: z.string().nullable(),
    status: z.enum(STATUSES),
    attemptsAllowed: z.number().int(),
    attemptsUsed: z.number().int(),
    attemptsLeft: z.number().int(),
    dueAt: z.string(),
    remindAt: z.string().nullable(),
    remindedAt: z.string().nullable(),
    overdueAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    assignedBy: z.string(),
    assignedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi('TrainingAssignment');

const traineeQuizSchema = z
  .object({
    questions: z.array(z.object({ id: z.string(), text: z.string(), kind: z.enum(['single', 'multiple']), options: z.array(z.object({ id: z.string(), text: z.string() })) })),
    passMarkPercent: z.number(),
    attemptsAllowed: z.number().int(),
  })
  .openapi('TraineeQuiz', { description: 'The quiz without its correct answers' });

const attemptSummarySchema = z.object({ number: z.number().int(), scorePercent: z.number(), passed: z.boolean(), submittedAt: z.string() });

export const assignmentDetailSchema = assignmentSchema
  .extend({
    instructions: z.string(),
    presentation: z.array(z.object({ sha256: z.string(), fileName: z.string(), mediaType: z.string(), sizeBytes: z.number().int() })),
    quiz: traineeQuizSchema,
    attempts: z.array(attemptSummarySchema),
    nextAttemptNumber: z.number().int().nullable().openapi({ description: 'The number the next submission gets; null when the assignment is closed' }),
  })
  .openapi('TrainingAssignmentDetail');

const assignmentParams = z.object({ assignmentId: z.uuid().openapi({ param: { name: 'assignmentId', in: 'path' } }) });

export const coachingBodySchema = z
  .object({
    packId: z.uuid(),
    userIds: z.array(z.uuid()).min(1).max(500).optional(),
    group: groupNameSchema.optional().openapi({ description: 'Every enabled member of this group' }),
  })
  .refine((value) => (value.userIds === undefined) !== (value.group === undefined), { message: 'give either userIds or group', path: ['userIds'] })
  .openapi('CoachingAssignment');

export const assignTrainingRoute = createRoute({
  method: 'post',
  path: '/v1/training-assignments',
  tags,
  summary: "Assign an active pack's current version as coaching, to users or every member of a group (supervisors: their groups only)",
  request: { body: jsonBody(coachingBodySchema) },
  responses: {
    201: jsonResponse('Assigned; users who already had this pack open are skipped', z.object({ assigned: z.array(assignmentSchema), skippedUserIds: z.array(z.uuid()) })),
    ...problemResponses(403, 409, 422),
  },
});

export const listAssignmentsRoute = createRoute({
  method: 'get',
  path: '/v1/training-assignments',
  tags,
  summary: 'Training assignments the caller may see, newest first (TRAININGS_SEARCH)',
  request: {
    query: pageQuerySchema.extend({
      status: z.enum(STATUSES).optional(),
      assigneeUserId: z.union([z.uuid(), z.literal('me')]).optional(),
      packId: z.uuid().optional(),
      reason: z.enum(REASONS).optional(),
      reviewId: z.uuid().optional(),
    }),
  },
  responses: { 200: jsonResponse('A page of assignments', z.object({ items: z.array(assignmentSchema), nextCursor: z.string().nullable() })), ...problemResponses(422) },
});

export const getAssignmentRoute = createRoute({
  method: 'get',
  path: '/v1/training-assignments/{assignmentId}',
  tags,
  summary: 'One assignment as its trainee sees it: instructions, presentation, reference conversation, the quiz without answers, attempts so far',
  request: { params: assignmentParams },
  responses: { 200: jsonResponse('The assignment', assignmentDetailSchema), ...problemResponses(404, 422) },
});

export const assignmentHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/training-assignments/{assignmentId}/history',
  tags,
  summary: 'The steps of one assignment, oldest first',
  request: { params: assignmentParams, query: pageQuerySchema },
  responses: {
    200: {
      description: 'A page of steps',
      content: jsonContent(z.object({ items: z.array(z.object({ id: z.number().int(), step: z.string(), actor: z.string(), detail: z.record(z.string(), z.unknown()), at: z.string() })), nextCursor: z.string().nullable() })),
    },
    ...problemResponses(404, 422),
  },
});

export const submitAttemptRoute = createRoute({
  method: 'post',
  path: '/v1/training-assignments/{assignmentId}/attempts',
  tags,
  summary: 'The trainee submits answers; scored on the server',
  description:
    'Answers map question ids to the chosen option ids. The answer says the score, whether it passed and how many attempts are left. ' +
    'Which answers were correct is shown only once the assignment is finished (passed, or failed on the last attempt): `solution`. ' +
    'Two submissions racing for the same attempt number: one is scored, the other is 409.',
  request: {
    params: assignmentParams,
    body: jsonBody(z.object({ answers: quizAnswersSchema, attemptNumber: z.number().int().min(1).max(10).optional().openapi({ description: 'The number this submission is meant to be (nextAttemptNumber); a mismatch is 409' }) })),
  },
  responses: {
    200: {
      description: 'Scored',
      content: jsonContent(
        z.object({
          attempt: attemptSummarySchema,
          scorePercent: z.number(),
          passed: z.boolean(),
          status: z.enum(STATUSES),
          attemptsLeft: z.number().int(),
          dueAt: z.string(),
          solution: z.array(z.object({ questionId: z.string(), correct: z.boolean(), correctOptionIds: z.array(z.string()) })).optional(),
        }),
      ),
    },
    ...problemResponses(403, 404, 409, 422),
  },
});

export const cancelAssignmentRoute = createRoute({
  method: 'post',
  path: '/v1/training-assignments/{assignmentId}/cancel',
  tags,
  summary: 'Cancel an open assignment, saying why',
  request: { params: assignmentParams, body: jsonBody(z.object({ reason: z.string().min(1).max(2000) })) },
  responses: { 200: jsonResponse('Cancelled', assignmentSchema), ...problemResponses(404, 409, 422) },
});
