import { Context } from '@temporalio/activity';
import { SYSTEM_ACTOR, workflowActor } from '../audit/write/actor.js';
import { fetchDueRecordings } from '../recordings/recording-fetches.js';
import { createObjectSource, type ObjectSource } from '../recordings/s3-objects.js';
import type { RecordingFetchResult } from '../workflows/recording-fetch.contract.js';
import type { ActivityDeps } from './deps.js';

const BATCH = 20;

export function recordingFetchActivities({ db, media, recordingFetch }: ActivityDeps) {
  // One client per worker: it pools its connections.
  let source: ObjectSource | undefined;
  return {
    /** Fetches one batch of due recordings; `more` when the batch was full. Off (nothing claimed) without S3 configuration. */
    async fetchDueRecordingBatch(): Promise<RecordingFetchResult & { more: boolean }> {
      if (!recordingFetch?.s3) return { claimed: 0, fetched: 0, retrying: 0, givenUp: 0, more: false };
      source ??= createObjectSource(recordingFetch.s3);
      const execution = Context.current().info.workflowExecution;
      const actor = execution ? workflowActor(execution.workflowId, execution.runId) : SYSTEM_ACTOR;
      const result = await fetchDueRecordings({ db, media, source, policy: recordingFetch, actor }, BATCH);
      return { ...result, more: result.claimed === BATCH };
    },
  };
}
