import { defineQuery } from '@temporalio/workflow';
import type { RetentionReason, RetentionReasonCode } from '../domain/retention-decision.js';

export const DELETE_RUN_WORKFLOW = 'deleteRun';

export function deleteScheduleId(taskId: string): string {
  return `delete-task-${taskId}`;
}

/** A conversation a run leaves in place, and why, as the retention decision gives it. */
export interface KeptConversation {
  conversationId: string;
  /** The label of the deciding reason (`RETENTION_REASON_LABELS`); the key `skippedReasons` counts by. */
  reason: string;
  /** Absent from activity results recorded before reasons had codes. */
  code?: RetentionReasonCode;
  reasons?: RetentionReason[];
}

export interface DeleteRunProgress {
  taskId: string;
  /** Conversations the task selects that are older than its retention window. */
  selected: number;
  /** Deleted by their lifecycle during this run. */
  done: number;
  /** Kept, each for the reasons of its retention decision (a legal hold, a protection, one that arrived meanwhile). */
  skipped: number;
  failed: number;
  /** Skips by the label of their deciding reason: `legal hold`, `protected (MiFID II tag or extension)`, ... */
  skippedReasons: Record<string, number>;
  /** The same skips by the code of their deciding reason: `legal-hold`, `protected-tag`, ... */
  skippedReasonCodes: Partial<Record<RetentionReasonCode, number>>;
  /** Kept conversations with every reason that keeps them (the first ones; beyond that only counted). */
  kept: { conversationId: string; reasons: RetentionReason[] }[];
  failures: { conversationId: string; reason: string }[];
  /** Set when the run did nothing because the task is paused or removed. */
  refused: string | null;
  finished: boolean;
}

export interface DeleteRunInput {
  taskId: string;
  /** Carried over continue-as-new by a long run; one from before reason codes has no code counts or kept list. */
  resume?: { afterId: string | null; progress: Omit<DeleteRunProgress, 'skippedReasonCodes' | 'kept'> & Partial<Pick<DeleteRunProgress, 'skippedReasonCodes' | 'kept'>> };
}

export const deleteRunProgressQuery = defineQuery<DeleteRunProgress>('deleteRunProgress');
