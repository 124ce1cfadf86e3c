import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { z } from 'zod';
import { auditedCall } from '../../audit/write/audited.js';
import { assignCoaching, cancelAssignment, findAssignment, listAssignments, type AssignmentRow } from '../../training/training-assignments.js';
import { submitAttempt, traineeView } from '../../training/training-attempts.js';
import { trainingEventsAfter } from '../../training/training-events.js';
import { trainingAssignmentScope } from '../../training/training-scope.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { cursorBigintIdSchema, cursorTimestampSchema, decodeCursor, pageOf } from '../pagination.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { pokeTrainingFollowUps } from '../training-follow-up-client.js';
import { asRefusalProblem } from '../refusal-problem.js';
import type * as routes from './routes.js';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

const listPosition = z.strictObject({ at: cursorTimestampSchema, id: z.uuid() });
const historyPosition = z.strictObject({ after: cursorBigintIdSchema });
const iso = (at: Date | null) => at?.toISOString() ?? null;

export function assignmentView(row: AssignmentRow) {
  return {
    id: row.id,
    packId: row.packId,
    packVersion: row.packVersion,
    assigneeUserId: row.assigneeUserId,
    assigneeUsername: row.assigneeUsername,
    reason: row.reason as 'review' | 'onboarding' | 'coaching',
    reviewId: row.reviewId,
    conversationId: row.conversationId,
    referenceConversationId: row.referenceConversationId,
    coachingGroup: row.coachingGroup,
    status: row.status as 'assigned' | 'passed' | 'failed' | 'cancelled',
    attemptsAllowed: row.attemptsAllowed,
    attemptsUsed: row.attemptsUsed,
    attemptsLeft: row.status === 'assigned' ? row.attemptsAllowed - row.attemptsUsed : 0,
    dueAt: row.dueAt.toISOString(),
    remindAt: iso(row.remindAt),
    remindedAt: iso(row.remindedAt),
    overdueAt: iso(row.overdueAt),
    cancelReason: row.cancelReason,
    assignedBy: row.assignedBy,
    assignedAt: row.assignedAt.toISOString(),
    completedAt: iso(row.completedAt),
  };
}

const notFound = (assignmentId: string) => new ProblemError(404, 'Training assignment not found', { detail: `No training assignment ${assignmentId}` });

export function trainingAssignmentHandlers(deps: ApiDeps) {
  const assign: Handler<typeof routes.assignTrainingRoute> = async (c) => {
    const principal = c.get('principal');
    const result = await asRefusalProblem(() => assignCoaching(deps.db, c.req.valid('json'), principal, requestContext(c)));
    await pokeTrainingFollowUps(deps, result.assigned.map((row) => row.id));
    return c.json({ assigned: result.assigned.map(assignmentView), skippedUserIds: result.skippedUserIds }, 201);
  };

  const list: Handler<typeof routes.listAssignmentsRoute> = async (c) => {
    const { limit, cursor, assigneeUserId, ...filters } = c.req.valid('query');
    const principal = c.get('principal');
    const after = cursor === undefined ? undefined : decodeCursor(cursor, listPosition);
    const applied = { ...filters, assigneeUserId: assigneeUserId === 'me' ? principal.userId : assigneeUserId };
    const page = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'TRAININGS_SEARCH', description: 'Training assignments searched', details: { filters: applied, limit, continued: after !== undefined } },
      async () => {
        const rows = await listAssignments(deps.db, trainingAssignmentScope(principal), applied, { limit: limit + 1, after });
        const value = pageOf(rows, limit, (row) => ({ at: row.at, id: row.id }));
        return { value, details: { count: value.items.length, more: value.nextCursor !== null } };
      },
    );
    return c.json({ items: page.items.map(assignmentView), nextCursor: page.nextCursor }, 200);
  };

  const get: Handler<typeof routes.getAssignmentRoute> = async (c) => {
    const { assignmentId } = c.req.valid('param');
    const row = await findAssignment(deps.db, assignmentId);
    const view = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'TRAININGS_SEARCH', description: `Training assignment ${assignmentId} looked up`, details: { assignmentId }, conversationId: row?.conversationId ?? null },
      async () => {
        // Access control has already answered an assignment outside the caller's scope as absent.
        const value = row && (await traineeView(deps.db, row));
        return { value, result: value ? 'OK' : 'FAIL', details: value ? {} : { error: 'not found' } };
      },
    );
    if (!view) throw notFound(assignmentId);
    return c.json(
      {
        ...assignmentView(view.assignment),
        instructions: view.instructions,
        presentation: view.presentation,
        quiz: view.quiz,
        attempts: view.attempts.map((attempt) => ({ ...attempt, submittedAt: attempt.submittedAt.toISOString() })),
        nextAttemptNumber: view.assignment.status === 'assigned' ? view.assignment.attemptsUsed + 1 : null,
      },
      200,
    );
  };

  const history: Handler<typeof routes.assignmentHistoryRoute> = async (c) => {
    const { assignmentId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const afterId = cursor === undefined ? 0 : Number(decodeCursor(cursor, historyPosition).after);
    const row = await findAssignment(deps.db, assignmentId);
    const page = await auditedCall(
      deps.db,
      { ...requestContext(c), activity: 'TRAININGS_SEARCH', description: `History of training assignment ${assignmentId} viewed`, details: { assignmentId }, conversationId: row?.conversationId ?? null },
      async () => {
        const events = row ? await trainingEventsAfter(deps.db, assignmentId, afterId, limit + 1) : [];
        return { value: row && pageOf(events, limit, (event) => ({ after: String(event.id) })), result: row ? 'OK' : 'FAIL', details: row ? {} : { error: 'not found' } };
      },
    );
    if (!page) throw notFound(assignmentId);
    return c.json({ items: page.items.map((event) => ({ id: event.id, step: event.step, actor: event.actor, detail: event.detail, at: event.at.toISOString() })), nextCursor: page.nextCursor }, 200);
  };

  const submit: Handler<typeof routes.submitAttemptRoute> = async (c) => {
    const { assignmentId } = c.req.valid('param');
    const { answers, attemptNumber } = c.req.valid('json');
    const outcome = await asRefusalProblem(() => submitAttempt(deps.db, assignmentId, { answers, expectedNumber: attemptNumber }, c.get('principal'), requestContext(c)));
    await pokeTrainingFollowUps(deps, [assignmentId]);
    const { attempt, assignment } = outcome;
    return c.json(
      {
        attempt: { number: attempt.number, scorePercent: attempt.scorePercent, passed: attempt.passed, submittedAt: attempt.submittedAt.toISOString() },
        scorePercent: attempt.scorePercent,
        passed: attempt.passed,
        status: assignment.status as 'assigned' | 'passed' | 'failed' | 'cancelled',
        attemptsLeft: outcome.attemptsLeft,
        dueAt: assignment.dueAt.toISOString(),
        ...(outcome.solution ? { solution: outcome.solution } : {}),
      },
      200,
    );
  };

  const cancel: Handler<typeof routes.cancelAssignmentRoute> = async (c) => {
    const { assignmentId } = c.req.valid('param');
    const { reason } = c.req.valid('json');
    const row = await asRefusalProblem(() => cancelAssignment(deps.db, assignmentId, reason, requestContext(c)));
    await pokeTrainingFollowUps(deps, [assignmentId]);
    return c.json(assignmentView(row), 200);
  };

  return { assign, list, get, history, submit, cancel };
}
