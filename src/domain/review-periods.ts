import { DAY_MS, firstInstantOfWallClock, localDate } from './wall-clock.js';

/**
 * The periods a review plan runs over, in the plan's time zone: a local day, an ISO week (Monday to
 * Monday) or a calendar month, each from local midnight to local midnight.
 */
export const REVIEW_PERIODS = ['daily', 'weekly', 'monthly', 'once'] as const;
export type ReviewPeriod = (typeof REVIEW_PERIODS)[number];
export type RecurringPeriod = Exclude<ReviewPeriod, 'once'>;

/** From `start` (included) to `end` (excluded). */
export interface PeriodWindow {
  start: Date;
  end: Date;
}

function localDatesOfPeriod(date: number, period: RecurringPeriod): [number, number] {
  if (period === 'daily') return [date, date + DAY_MS];
  if (period === 'weekly') {
    const sinceMonday = (new Date(date).getUTCDay() + 6) % 7;
    const monday = date - sinceMonday * DAY_MS;
    return [monday, monday + 7 * DAY_MS];
  }
  const day = new Date(date);
  return [Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1), Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1)];
}

/**
 * The day, ISO week (Monday to Monday) or calendar month containing `instant`, with boundaries at local
 * midnight in the IANA `timeZone` (DST-correct: a local day may be 23 or 25 hours).
 */
export function periodContaining(instant: Date, period: RecurringPeriod, timeZone: string): PeriodWindow {
  const [first, next] = localDatesOfPeriod(localDate(instant.getTime(), timeZone), period);
  // Each boundary is local midnight: the earlier one when a change back repeats it, the change itself when one skips it.
  return { start: new Date(firstInstantOfWallClock(first, timeZone)), end: new Date(firstInstantOfWallClock(next, timeZone)) };
}

/** The last complete period before the one containing `instant` (what a scheduled run at the start of a period reviews). */
export function previousPeriod(instant: Date, period: RecurringPeriod, timeZone: string): PeriodWindow {
  const current = periodContaining(instant, period, timeZone);
  return periodContaining(new Date(current.start.getTime() - 1), period, timeZone);
}
