// The worker bundle's entry: every workflow type the worker registers.
export { conversationLifecycle } from './conversation-lifecycle.js';
export { auditCheckpoint } from './audit-checkpoint.js';
export { archiveRun } from './archive-run.js';
export { retentionSweep } from './retention-sweep.js';
export { deleteRun } from './delete-run.js';
export { retentionReplan } from './retention-replan.js';
export { legalHoldNotify } from './legal-hold-notify.js';
export { searchHoldRun } from './search-hold-run.js';
export { reviewFollowUp } from './review-follow-up.js';
export { reviewPlanRun } from './review-plan-run.js';
export { notificationDispatch } from './notification-dispatch.js';
export { dataExportRun } from './data-export-run.js';
export { trainingFollowUp } from './training-follow-up.js';
export { mediaRemovalSweep } from './media-removal-sweep.js';
export { mediaLockReconcile } from './media-lock-reconcile.js';
export { recordingFetch } from './recording-fetch.js';
