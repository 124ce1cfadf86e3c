import { defineQuery } from '@temporalio/workflow';

export const DELETE_RUN_WORKFLOW = 'deleteRun';

export function deleteScheduleId(taskId: string): string {
  return `delete-task-${taskId}`;
}

export interface DeleteRunProgress {
  taskId: string;
  /** Conversations the task selects that are older than its retention window. */
  selected: number;
  /** Deleted by their lifecycle during this run. */
  done: number;
  /** Kept, each with the reason (legal hold, protection, another task due first, protected meanwhile). */
  skipped: number;
  failed: number;
  skippedReasons: Record<string, number>;
  failures: { conversationId: string; reason: string }[];
  /** Set when the run did nothing because the task is paused or removed. */
  refused: string | null;
  finished: boolean;
}

export interface DeleteRunInput {
  taskId: string;
  /** Carried over continue-as-new by a long run. */
  resume?: { afterId: string | null; progress: DeleteRunProgress };
}

export const deleteRunProgressQuery = defineQuery<DeleteRunProgress>('deleteRunProgress');
