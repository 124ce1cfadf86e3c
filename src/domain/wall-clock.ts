/**
 * Local wall-clock time in an IANA zone, written as if it were UTC (epoch milliseconds), and back: the one
 * place where review periods, digest times and other "local midnight / local 07:00" questions are answered,
 * DST-correct (a local day may be 23 or 25 hours; a local time may be skipped or repeated).
 */
export const HOUR_MS = 3600 * 1000;
export const DAY_MS = 24 * HOUR_MS;

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
export function wallClock(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) parts[part.type] = Number(part.value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (epochMs - wholeSecond);
}

/** The local date containing `epochMs`, as the UTC midnight of that date. */
export function localDate(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * The first instant whose local reading is `wall` (a wall-clock time written as UTC): the earlier one when
 * a change back repeats it, the end of the gap when a change forward skips it.
 */
export function firstInstantOfWallClock(wall: number, timeZone: string): number {
  // A day either side sees the offsets in force before and after any change near it.
  const offsets = new Set([wall - DAY_MS, wall, wall + DAY_MS].map((probe) => wallClock(probe, timeZone) - probe));
  const matches = [...offsets].map((offset) => wall - offset).filter((instant) => wallClock(instant, timeZone) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // The reading falls in a gap: before it the clock reads earlier, after it later.
  let before = wall - Math.max(...offsets);
  let after = wall - Math.min(...offsets);
  while (after - before > 1) {
    const middle = Math.floor((before + after) / 2);
    if (wallClock(middle, timeZone) < wall) before = middle;
    else after = middle;
  }
  return after;
}
