import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { conversationIdFor } from '../../lib/ids.js';
import { FailureType } from '../../domain/failures.js';
import { captureContentUpdate, type CaptureContentArgs, type CaptureContentResult } from '../../workflows/conversation-lifecycle.contract.js';
import type { ApiDeps } from '../deps.js';
import { toProblem, updateOrStartConversation } from '../lifecycle-client.js';
import { ProblemError } from '../problem.js';

/**
 * Hands imported content to its conversation's lifecycle, starting it if this is the first delivery. The
 * conversation id is derived from (source, key), so a replay reaches the same workflow and is a duplicate.
 */
export async function captureContent(deps: ApiDeps, source: string, externalKey: string, args: CaptureContentArgs): Promise<CaptureContentResult> {
  const conversation = { id: conversationIdFor(source, externalKey), source, externalKey };
  try {
    return await updateOrStartConversation(deps, conversation, captureContentUpdate, args);
  } catch (error) {
    // The lifecycle of a conversation only ever closes when it is deleted, and it is never started again.
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new ProblemError(410, FailureType.ConversationDisposed, { detail: `conversation ${conversation.id} was deleted; it cannot be imported again` });
    }
    throw toProblem(error);
  }
}
