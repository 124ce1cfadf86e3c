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

const DAY_MS = 24 * 3600 * 1000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock reading at `epochMs` in the zone, as if that reading were UTC. */
function wallClock(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (epochMs - wholeSecond);
}

/** The local date containing `epochMs`, as the UTC midnight of that date. */
function localDate(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * The first instant of a local date (given as its UTC midnight): its local midnight, the earlier one when
 * a change back repeats it, or the change itself when a change forward skips it.
 */
function startOfLocalDate(date: number, timeZone: string): number {
  // A day either side of midnight sees the offsets in force before and after any change near it.
  const offsets = new Set([date - DAY_MS, date, date + DAY_MS].map((probe) => wallClock(probe, timeZone) - probe));
  const midnights = [...offsets].map((offset) => date - offset).filter((instant) => wallClock(instant, timeZone) === date);
  if (midnights.length > 0) return Math.min(...midnights);
  // Midnight falls in a gap: before it the clock reads the previous day, after it later than midnight.
  let before = date - Math.max(...offsets);
  let after = date - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(middle, timeZone) < date) before = middle;
    else after = middle;
  }
  return after;
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
  return { start: new Date(startOfLocalDate(first, timeZone)), end: new Date(startOfLocalDate(next, timeZone)) };
}

/** The last complete period before the one containing `instant` (what a scheduled run at the start of a period reviews). */
export function previousPeriod(instant: Date, period: RecurringPeriod, timeZone: string): PeriodWindow {
  const current = periodContaining(instant, period, timeZone);
  return periodContaining(new Date(current.start.getTime() - 1), period, timeZone);
}
