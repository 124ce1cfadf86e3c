import { firstInstantOfWallClock, wallClock } from '../domain/wall-clock.js';

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** An instant as a `datetime-local` input value in the viewer's zone (minutes). */
export function toLocalInput(instant: Date | string, timeZone: string): string {
  const epoch = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(wallClock(epoch, timeZone)).toISOString().slice(0, 16);
}

/** A `datetime-local` value read in the viewer's zone, as an ISO instant; undefined when empty or not a time. */
export function fromLocalInput(value: string | undefined, timeZone: string): string | undefined {
  const match = value ? LOCAL_INPUT.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const wall = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!);
  if (Number.isNaN(wall)) return undefined;
  return new Date(firstInstantOfWallClock(wall, timeZone)).toISOString();
}
