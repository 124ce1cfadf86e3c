/** The media removal sweep's name, schedule and result; imported by the worker, the schedules and tests. */
export const MEDIA_REMOVAL_SWEEP_WORKFLOW = 'mediaRemovalSweep';

/** A file a crash left behind stays at most this long after its disposal (a worker start-up sweeps at once). */
export const MEDIA_REMOVAL_SWEEP_INTERVAL = '15 minutes';

export function mediaRemovalSweepScheduleId(taskQueue: string): string {
  return `media-removal-sweep-${taskQueue}`;
}

export interface MediaRemovalSweepResult {
  removed: number;
  inUse: number;
}
