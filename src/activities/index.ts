import { anonymisationActivities } from './anonymisation.js';
import { archiveActivities } from './archive.js';
import { auditCheckpointActivities } from './audit-checkpoint.js';
import { callStateActivities } from './call-state.js';
import { contactRecordActivities } from './contact-records.js';
import { contentActivities } from './content.js';
import { conversationTagActivities } from './conversation-tags.js';
import { deleteRunActivities } from './delete-run.js';
import type { ActivityDeps } from './deps.js';
import { exportActivities } from './exports.js';
import { legalHoldActivities } from './legal-holds.js';
import { mediaRemovalActivities } from './media-removal.js';
import { minutesActivities } from './minutes.js';
import { notificationActivities } from './notifications.js';
import { recordingFetchActivities } from './recording-fetch.js';
import { recordingRuleActivities } from './recording-rules.js';
import { retentionActivities } from './retention.js';
import { retentionReplanActivities } from './retention-replan.js';
import { retentionSweepActivities } from './retention-sweep.js';
import { searchHoldRunActivities } from './search-hold-run.js';
import { reviewActivities } from './reviews.js';
import { trainingActivities } from './training.js';

export type { ActivityDeps } from './deps.js';

/** Every activity the worker registers, built from injected dependencies (no module-level pools). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...contactRecordActivities(deps),
    ...contentActivities(deps),
    ...recordingRuleActivities(deps),
    ...callStateActivities(deps),
    ...conversationTagActivities(deps),
    ...legalHoldActivities(deps),
    ...retentionActivities(deps),
    ...auditCheckpointActivities(deps),
    ...anonymisationActivities(deps),
    ...archiveActivities(deps),
    ...retentionSweepActivities(deps),
    ...deleteRunActivities(deps),
    ...searchHoldRunActivities(deps),
    ...retentionReplanActivities(deps),
    ...reviewActivities(deps),
    ...notificationActivities(deps),
    ...exportActivities(deps),
    ...trainingActivities(deps),
    ...recordingFetchActivities(deps),
    ...mediaRemovalActivities(deps),
    ...minutesActivities(deps),
  };
}
