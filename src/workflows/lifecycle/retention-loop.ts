import { condition, workflowInfo } from '@temporalio/workflow';
import type { ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import type { SerialRunner } from './serial.js';
import { recordStep } from './steps.js';

/**
 * A conversation may live seven years: wake at least this often to re-plan instead of sleeping through
 * one long timer, so a policy change or a lost signal never leaves it stranded.
 */
export const WAKE_INTERVAL_MS = 30 * 24 * 3600 * 1000;

const retentionVersion = (state: ConversationLifecycleState) => state.retentionVersion ?? 0;

/** Something that can move the retention plan changed: a pending deletion is re-planned first. */
export function bumpRetention(state: ConversationLifecycleState): void {
  state.retentionVersion = retentionVersion(state) + 1;
}

/**
 * Waits out the retention window and deletes when it is due. Every decision is re-planned from current
 * policy; the deletion itself re-checks protection in its own transaction. Returns when the conversation
 * is deleted or the history should continue-as-new.
 */
export async function runRetention(state: ConversationLifecycleState, serially: SerialRunner): Promise<void> {
  const { workflowId, runId } = workflowInfo();
  const shouldStop = () => state.stage === 'deleted' || state.rotateHistory === true || workflowInfo().continueAsNewSuggested;
  while (!shouldStop()) {
    if (state.stage !== 'captured') {
      await condition(() => state.stage !== 'open' || shouldStop(), WAKE_INTERVAL_MS);
      continue;
    }
    const version = retentionVersion(state);
    const plan = await serially(() => activities.planConversationRetention({ conversationId: state.conversationId }));
    if (retentionVersion(state) !== version) continue;
    const dueInMs = plan.deleteAt ? Date.parse(plan.deleteAt) - Date.now() : Number.POSITIVE_INFINITY;
    const changed = await condition(
      () => retentionVersion(state) !== version || shouldStop(),
      Math.max(1, Math.min(dueInMs, WAKE_INTERVAL_MS)),
    );
    if (changed || !plan.deleteAt || Date.now() < Date.parse(plan.deleteAt)) continue;

    const result = await serially(async () =>
      // A hold, tag or extension that arrived while waiting for the lock wins: re-plan instead.
      retentionVersion(state) === version
        ? activities.deleteConversationIfDue({ conversationId: state.conversationId, workflow: { workflowId, runId } })
        : undefined,
    );
    if (result?.deleted) {
      state.stage = 'deleted';
      recordStep(state, 'deleted', { deleteTaskId: result.plan.taskId, dueAt: result.plan.deleteAt });
    }
  }
}
