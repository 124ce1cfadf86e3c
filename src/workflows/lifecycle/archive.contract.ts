import { defineSignal } from '@temporalio/workflow';

export interface ArchiveRequest {
  taskId: string;
  /** The archive run to report back to. */
  runWorkflowId: string;
}
/** An archive run asks the lifecycle to archive its conversation for a task. */
export const archiveRequestedSignal = defineSignal<[ArchiveRequest]>('archiveRequested');
