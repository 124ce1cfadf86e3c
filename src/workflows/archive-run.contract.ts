import { defineQuery, defineSignal } from '@temporalio/workflow';

export const ARCHIVE_RUN_WORKFLOW = 'archiveRun';

export function archiveScheduleId(taskId: string): string {
  return `archive-task-${taskId}`;
}

export interface ArchiveRunInput {
  taskId: string;
}

export interface ArchiveRunProgress {
  taskId: string;
  selected: number;
  done: number;
  skipped: number;
  failed: number;
  failures: { conversationId: string; reason: string }[];
  verification: { checked: number; failures: { conversationId: string; path: string; problem: string }[] } | null;
  finished: boolean;
}

export interface ArchiveStepReport {
  conversationId: string;
  status: 'archived' | 'already-archived' | 'skipped' | 'failed';
  path: string | null;
  reason?: string;
}

/** Sent by a conversation's lifecycle when it has run (or could not run) the archive step for a run. */
export const archiveStepDoneSignal = defineSignal<[ArchiveStepReport]>('archiveStepDone');
export const archiveRunProgressQuery = defineQuery<ArchiveRunProgress>('archiveRunProgress');
