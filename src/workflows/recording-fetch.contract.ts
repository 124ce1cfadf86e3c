/** The recording fetch sweep's name, schedule and result; imported by the worker, the schedules and tests. */
export const RECORDING_FETCH_WORKFLOW = 'recordingFetch';

/** One schedule per task queue, i.e. per deployment sharing a namespace. */
export function recordingFetchScheduleId(taskQueue: string): string {
  return `recording-fetch-${taskQueue}`;
}

export interface RecordingFetchResult {
  claimed: number;
  fetched: number;
  retrying: number;
  givenUp: number;
}
