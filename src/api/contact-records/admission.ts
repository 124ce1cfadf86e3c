import { CAPTURE_DEFAULTS, type CaptureAdmissionConfig } from '../../config.js';

/**
 * Back-pressure on capture. A saturated worker or Temporal server makes update-with-start calls queue up
 * until the request timeout answers 504, which tells a feed nothing and leaves it guessing whether the
 * record was stored. Instead each API process hands at most `maxInFlight` records to Temporal at once, and
 * a request whose records are not all stored within `deadlineMs` (waiting for a slot included) is answered
 * 503 with Retry-After. A record is stored by its lifecycle's activity in one transaction or not at all, and
 * delivering it again is reported as a duplicate, so retrying after a 503 is always safe.
 */
export class CaptureSaturatedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('the engine is saturated: the capture was not confirmed in time');
  }
}

export interface CaptureAdmission {
  /** When a request arriving now must be answered; every record of a batch shares it. */
  deadlineFromNow(): Date;
  /** Runs `work` holding one of the slots; throws CaptureSaturatedError if no slot frees up before `deadline`. */
  withSlot<T>(deadline: Date, work: () => Promise<T>): Promise<T>;
  readonly retryAfterSeconds: number;
}

export function createCaptureAdmission(config: CaptureAdmissionConfig = CAPTURE_DEFAULTS): CaptureAdmission {
  // A fraction of the deadline: long enough for a queue to drain a little, short enough to keep a feed moving.
  const retryAfterSeconds = Math.max(1, Math.ceil(config.deadlineMs / 5000));
  let inFlight = 0;
  const waiting: { admit: () => void }[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next.admit();
    else inFlight -= 1;
  };
  const acquire = (deadline: Date) =>
    new Promise<void>((resolve, reject) => {
      if (inFlight < config.maxInFlight) {
        inFlight += 1;
        resolve();
        return;
      }
      const waiter = {
        admit: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(waiter), 1);
        reject(new CaptureSaturatedError(retryAfterSeconds));
      }, Math.max(0, deadline.getTime() - Date.now()));
      waiting.push(waiter);
    });
  return {
    retryAfterSeconds,
    deadlineFromNow: () => new Date(Date.now() + config.deadlineMs),
    async withSlot(deadline, work) {
      await acquire(deadline);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
