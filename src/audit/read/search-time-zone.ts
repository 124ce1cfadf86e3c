import { wallClock } from '../../domain/wall-clock.js';

/** Dates in the requesting user's time zone, as the seed's Audit Log shows them. */

/** `+01:00`, `-03:30`, or with seconds for the local mean times of old dates (`+00:57:44`). */
function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const seconds = Math.abs(Math.round(offsetMs / 1000));
  const [hours, minutes, rest] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60].map((part) => String(part).padStart(2, '0'));
  return `${sign}${hours}:${minutes}${rest === '00' ? '' : `:${rest}`}`;
}

/**
 * ISO 8601 local time with the zone's offset at that instant, keeping the microseconds:
 * `2026-11-20T11:00:00.123456+01:00` for 2026-11-20T10:00:00.123456Z in Europe/Prague.
 */
export function formatInTimeZone(utcMicros: string, timeZone: string): string {
  const fraction = /\.(\d+)Z$/.exec(utcMicros)?.[1] ?? '000000';
  const instant = Date.parse(utcMicros);
  const wall = wallClock(instant, timeZone);
  return `${new Date(wall).toISOString().slice(0, 19)}.${fraction}${offsetText(wall - instant)}`;
}
