import { patched } from '@temporalio/workflow';
import type { ConversationLifecycleState } from '../conversation-lifecycle.contract.js';

/**
 * The audit log is the record of every step; the workflow keeps only the latest ones for its query, so a
 * seven-year lifecycle's state (carried through every continue-as-new) stays small.
 */
export const MAX_KEPT_STEPS = 50;

/** Lifecycles started before this patch kept every step and every archive copy in their state. */
export const BOUNDED_STATE_PATCH = 'bounded-lifecycle-state';

/** Appends to the queryable step history; `new Date()` is the workflow's deterministic clock. */
export function recordStep(state: ConversationLifecycleState, step: string, detail?: Record<string, unknown>): void {
  state.steps.push({ step, at: new Date().toISOString(), ...(detail ? { detail } : {}) });
  if (patched(BOUNDED_STATE_PATCH)) boundState(state);
}

function boundState(state: ConversationLifecycleState): void {
  const excess = state.steps.length - MAX_KEPT_STEPS;
  if (excess > 0) {
    state.steps.splice(0, excess);
    state.stepsDropped = (state.stepsDropped ?? 0) + excess;
  }
  // Archive copies are recorded in PostgreSQL (archive_copies) and the audit log; nothing here decides on them.
  delete state.archiveCopies;
}
