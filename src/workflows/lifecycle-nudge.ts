import { ParentClosePolicy, getExternalWorkflowHandle, proxyActivities, startChild } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { conversationLifecycle } from './conversation-lifecycle.js';
import { conversationWorkflowId, retentionPolicyChangedSignal } from './conversation-lifecycle.contract.js';

const activities = proxyActivities<ReturnType<typeof createActivities>>({ startToCloseTimeout: '5 minutes' });

/**
 * Asks a conversation's lifecycle to re-plan its retention now; a lifecycle that went missing is restarted
 * from the state PostgreSQL holds. Deletion stays the lifecycle's own step.
 */
export async function nudgeLifecycle(conversationId: string): Promise<'nudged' | 'restarted' | 'gone'> {
  try {
    await getExternalWorkflowHandle(conversationWorkflowId(conversationId)).signal(retentionPolicyChangedSignal);
    return 'nudged';
  } catch {
    const state = await activities.recoverLifecycleState({ conversationId });
    if (!state) return 'gone';
    await startChild(conversationLifecycle, {
      workflowId: conversationWorkflowId(conversationId),
      args: [{ state }],
      // The lifecycle outlives whoever restarted it: it runs until the conversation is deleted.
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return 'restarted';
  }
}
