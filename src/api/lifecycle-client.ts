import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { eq } from 'drizzle-orm';
import { conversations } from '../db/schema/index.js';
import { FailureType } from '../domain/failures.js';
import { engineFailureOf } from '../temporal/failures.js';
import {
  CONVERSATION_LIFECYCLE_WORKFLOW,
  conversationWorkflowId,
  initialLifecycleState,
} from '../workflows/conversation-lifecycle.contract.js';
import type { Context } from 'hono';
import { auditedCall } from '../audit/write/audited.js';
import type { AppEnv } from './context.js';
import type { ApiDeps } from './deps.js';
import { requestContext } from './request-context.js';
import { FAILURE_STATUS, ProblemError } from './problem.js';

/** Turns an engine failure from a workflow update into the problem the client should see. */
export function toProblem(error: unknown): unknown {
  if (error instanceof WorkflowNotFoundError) return new ProblemError(404, 'Conversation not found', { detail: 'No lifecycle runs for this conversation' });
  const failure = engineFailureOf(error);
  if (!failure) return error;
  return new ProblemError(FAILURE_STATUS[failure.type], failure.type, { detail: failure.message });
}

/** Sends an update to a conversation's running lifecycle. */
export async function updateConversation<Ret, Arg>(deps: ApiDeps, conversationId: string, update: UpdateDefinition<Ret, [Arg]>, arg: Arg): Promise<Ret> {
  try {
    return await deps.temporal.client.workflow.getHandle(conversationWorkflowId(conversationId)).executeUpdate(update, { args: [arg] });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw await absentLifecycleProblem(deps, conversationId);
    throw toProblem(error);
  }
}

/** No running lifecycle: the database tells a deleted conversation (410) from one that never existed (404). */
async function absentLifecycleProblem(deps: ApiDeps, conversationId: string): Promise<ProblemError> {
  const [row] = await deps.db.select({ deletedAt: conversations.deletedAt }).from(conversations).where(eq(conversations.id, conversationId));
  if (row?.deletedAt) return new ProblemError(410, FailureType.ConversationDisposed, { detail: `conversation was deleted at ${row.deletedAt.toISOString()}` });
  return new ProblemError(404, 'Conversation not found', { detail: `No conversation ${conversationId}` });
}

/**
 * The update was not confirmed before the caller's deadline. The lifecycle may still apply it later (an
 * update Temporal admitted runs to its end), so the caller must treat the input as "maybe stored" and may
 * only send it again where sending it again is harmless.
 */
export class LifecycleDeadlineError extends Error {
  constructor(conversationId: string, options: { cause: unknown }) {
    super(`the lifecycle of conversation ${conversationId} did not confirm the update in time`, options);
  }
}

/**
 * Sends an update to a conversation's lifecycle, starting it first if this is the conversation's first
 * input (update-with-start: one round trip, no race between start and update). With a deadline, a call
 * still unanswered by then throws LifecycleDeadlineError.
 */
export async function updateOrStartConversation<Ret, Arg>(
  deps: ApiDeps,
  conversation: { id: string; source: string; externalKey: string },
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  options: { deadline?: Date } = {},
): Promise<Ret> {
  const startWorkflowOperation = new WithStartWorkflowOperation(CONVERSATION_LIFECYCLE_WORKFLOW, {
    workflowId: conversationWorkflowId(conversation.id),
    taskQueue: deps.temporal.taskQueue,
    args: [{ state: initialLifecycleState(conversation.id, conversation.source, conversation.externalKey) }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A closed lifecycle means a deleted conversation: late input must not start it again.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const { client } = deps.temporal;
  const call = () => client.workflow.executeUpdateWithStart(update, { args: [arg], startWorkflowOperation });
  try {
    return await (options.deadline ? client.withDeadline(options.deadline, call) : call());
  } catch (error) {
    if (options.deadline && error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw new LifecycleDeadlineError(conversation.id, { cause: error });
    // The reuse policy refused to start a closed lifecycle again: a deleted conversation answers 410.
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const problem = await absentLifecycleProblem(deps, conversation.id);
      if (problem.status === 410) throw problem;
    }
    throw error;
  }
}

/**
 * Runs a lifecycle update on behalf of the caller. Success is audited by the activity that made the
 * change, in its transaction; a refusal or failure is audited here, with the reason.
 */
export function auditedLifecycleUpdate<T>(
  deps: ApiDeps,
  c: Context<AppEnv>,
  audit: { activity: string; description: string; conversationId: string | null; details?: Record<string, unknown> },
  run: () => Promise<T>,
): Promise<T> {
  return auditedCall(deps.db, { ...requestContext(c), ...audit }, async () => ({ value: await run() }), { successAuditedByWork: true });
}
