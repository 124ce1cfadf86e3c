import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodContaining, previousPeriod, REVIEW_PERIODS, type RecurringPeriod } from '../../src/domain/review-periods.js';
import { isKnownTimeZone } from '../../src/domain/time-zones.js';

const HOUR = 3600 * 1000;
const utc = (iso: string) => new Date(iso);
const window = (start: string, end: string) => ({ start: utc(start), end: utc(end) });
const hours = ({ start, end }: { start: Date; end: Date }) => (end.getTime() - start.getTime()) / HOUR;

describe('review periods', () => {
  it('cuts UTC into days, ISO weeks from Monday and calendar months', () => {
    const instant = utc('2026-01-01T12:00:00Z');
    expect(periodContaining(instant, 'daily', 'UTC')).toEqual(window('2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'));
    expect(periodContaining(instant, 'weekly', 'UTC')).toEqual(window('2025-12-29T00:00:00Z', '2026-01-05T00:00:00Z'));
    expect(periodContaining(instant, 'monthly', 'UTC')).toEqual(window('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'));
    expect(periodContaining(utc('2028-02-29T23:59:59.999Z'), 'monthly', 'UTC')).toEqual(window('2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z'));
  });

  it('gives Berlin a 23-hour day when summer time starts and a 25-hour day when it ends', () => {
    const march = periodContaining(utc('2026-03-29T12:00:00Z'), 'daily', 'Europe/Berlin');
    expect(march).toEqual(window('2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z'));
    expect(hours(march)).toBe(23);
    const october = periodContaining(utc('2026-10-25T12:00:00Z'), 'daily', 'Europe/Berlin');
    expect(october).toEqual(window('2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z'));
    expect(hours(october)).toBe(25);
  });

  it('runs a Berlin week containing a change from local Monday midnight to local Monday midnight', () => {
    const week = periodContaining(utc('2026-03-25T09:00:00Z'), 'weekly', 'Europe/Berlin');
    expect(week).toEqual(window('2026-03-22T23:00:00Z', '2026-03-29T22:00:00Z'));
    expect(hours(week)).toBe(7 * 24 - 1);
    expect(hours(periodContaining(utc('2026-10-21T09:00:00Z'), 'weekly', 'Europe/Berlin'))).toBe(7 * 24 + 1);
  });

  it('follows New York across its changes and puts a late evening in its local month', () => {
    expect(periodContaining(utc('2026-03-08T12:00:00Z'), 'daily', 'America/New_York')).toEqual(window('2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z'));
    expect(periodContaining(utc('2026-11-01T12:00:00Z'), 'daily', 'America/New_York')).toEqual(window('2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z'));
    // 23:30 on 31 March in New York is already April in UTC.
    expect(periodContaining(utc('2026-04-01T03:30:00Z'), 'monthly', 'America/New_York')).toEqual(window('2026-03-01T05:00:00Z', '2026-04-01T04:00:00Z'));
  });

  it('starts the day at the change when summer time skips midnight (Santiago)', () => {
    const day = periodContaining(utc('2024-09-08T12:00:00Z'), 'daily', 'America/Santiago');
    expect(day).toEqual(window('2024-09-08T04:00:00Z', '2024-09-09T03:00:00Z'));
    expect(hours(day)).toBe(23);
  });

  it('puts an instant exactly at a boundary in the period it starts', () => {
    const boundary = utc('2026-03-28T23:00:00Z');
    expect(periodContaining(boundary, 'daily', 'Europe/Berlin').start).toEqual(boundary);
    expect(periodContaining(new Date(boundary.getTime() - 1), 'daily', 'Europe/Berlin').end).toEqual(boundary);
    expect(periodContaining(utc('2026-02-01T00:00:00Z'), 'monthly', 'UTC').start).toEqual(utc('2026-02-01T00:00:00Z'));
  });

  it('reviews the last complete period before the one a run starts in, across December to January', () => {
    const newYear = utc('2026-12-31T23:00:00Z'); // midnight in Berlin
    expect(previousPeriod(newYear, 'monthly', 'Europe/Berlin')).toEqual(window('2026-11-30T23:00:00Z', '2026-12-31T23:00:00Z'));
    expect(previousPeriod(newYear, 'daily', 'Europe/Berlin')).toEqual(window('2026-12-30T23:00:00Z', '2026-12-31T23:00:00Z'));
    expect(periodContaining(newYear, 'weekly', 'Europe/Berlin')).toEqual(window('2026-12-27T23:00:00Z', '2027-01-03T23:00:00Z'));
    expect(previousPeriod(utc('2027-01-04T08:00:00Z'), 'weekly', 'UTC')).toEqual(window('2026-12-28T00:00:00Z', '2027-01-04T00:00:00Z'));
  });

  it('knows IANA zones and nothing else', () => {
    expect(isKnownTimeZone('Europe/Berlin')).toBe(true);
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
    expect(isKnownTimeZone('+01:00')).toBe(false);
    expect(REVIEW_PERIODS).toEqual(['daily', 'weekly', 'monthly', 'once']);
  });

  it('tiles time: every instant lies in its period, and the periods either side meet it at its boundaries', () => {
    // Apia skipped 30 December 2011 and Lord Howe changes by half an hour: odd zones, same guarantees.
    const zone = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Pacific/Apia', 'Asia/Kathmandu');
    const period = fc.constantFrom<RecurringPeriod>('daily', 'weekly', 'monthly');
    const instant = fc.date({ min: utc('2005-01-01T00:00:00Z'), max: utc('2035-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(instant, period, zone, (at, p, z) => {
        const current = periodContaining(at, p, z);
        expect(current.start.getTime()).toBeLessThanOrEqual(at.getTime());
        expect(current.end.getTime()).toBeGreaterThan(at.getTime());
        expect(previousPeriod(at, p, z).end).toEqual(current.start);
        expect(periodContaining(current.end, p, z).start).toEqual(current.end);
      }),
      { numRuns: 1_000 },
    );
  });
});
