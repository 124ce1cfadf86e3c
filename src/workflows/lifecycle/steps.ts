import type { ConversationLifecycleState } from '../conversation-lifecycle.contract.js';

/** Appends to the queryable step history; `new Date()` is the workflow's deterministic clock. */
export function recordStep(state: ConversationLifecycleState, step: string, detail?: Record<string, unknown>): void {
  state.steps.push({ step, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
}
