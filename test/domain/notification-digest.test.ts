import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkOfMail, nextDigestTime, renderDigestMail } from '../../src/domain/notification-digest.js';
import { renderReviewMail } from '../../src/domain/review-notifications.js';

const at = (iso: string) => new Date(iso);

function localHourMinute(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

describe('nextDigestTime', () => {
  it('is today at 07:00 local before seven, tomorrow after it', () => {
    expect(nextDigestTime(at('2026-06-10T03:00:00Z'), 'Europe/Berlin')).toEqual(at('2026-06-10T05:00:00Z'));
    expect(nextDigestTime(at('2026-06-10T05:00:01Z'), 'Europe/Berlin')).toEqual(at('2026-06-11T05:00:00Z'));
    expect(nextDigestTime(at('2026-06-10T12:00:00Z'), 'America/New_York')).toEqual(at('2026-06-11T11:00:00Z'));
  });

  it('is now when it is exactly seven', () => {
    expect(nextDigestTime(at('2026-06-10T05:00:00Z'), 'Europe/Berlin')).toEqual(at('2026-06-10T05:00:00Z'));
  });

  it('stays at 07:00 local across the spring change (a 23-hour day)', () => {
    // Berlin moves from CET to CEST at 01:00 UTC on 2026-03-29.
    expect(nextDigestTime(at('2026-03-28T06:30:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-29T05:00:00Z'));
    expect(nextDigestTime(at('2026-03-28T23:30:00Z'), 'Europe/Berlin')).toEqual(at('2026-03-29T05:00:00Z'));
    expect(nextDigestTime(at('2026-03-29T05:00:01Z'), 'Europe/Berlin')).toEqual(at('2026-03-30T05:00:00Z'));
    // New York moves on 2026-03-08.
    expect(nextDigestTime(at('2026-03-07T13:00:00Z'), 'America/New_York')).toEqual(at('2026-03-08T11:00:00Z'));
  });

  it('stays at 07:00 local across the autumn change (a 25-hour day)', () => {
    // Berlin moves from CEST to CET at 01:00 UTC on 2026-10-25.
    expect(nextDigestTime(at('2026-10-24T06:00:00Z'), 'Europe/Berlin')).toEqual(at('2026-10-25T06:00:00Z'));
    expect(nextDigestTime(at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toEqual(at('2026-10-25T06:00:00Z'));
  });

  it('uses the local date, not the UTC one, far from UTC', () => {
    // 20:00 UTC on the 10th is already 08:00 on the 11th in Auckland: the next digest is the 12th at 07:00 NZST.
    expect(nextDigestTime(at('2026-06-10T20:00:00Z'), 'Pacific/Auckland')).toEqual(at('2026-06-11T19:00:00Z'));
    expect(nextDigestTime(at('2026-06-10T18:00:00Z'), 'Pacific/Auckland')).toEqual(at('2026-06-10T19:00:00Z'));
  });

  it('takes the end of the gap when the hour does not exist that day', () => {
    // 02:00 is skipped in Berlin on 2026-03-29: the clock reads 03:00 CEST at 01:00 UTC.
    expect(nextDigestTime(at('2026-03-28T23:00:00Z'), 'Europe/Berlin', 2)).toEqual(at('2026-03-29T01:00:00Z'));
  });

  it('takes UTC for a zone the runtime does not know', () => {
    expect(nextDigestTime(at('2026-06-10T03:00:00Z'), 'Not/AZone')).toEqual(at('2026-06-10T07:00:00Z'));
  });

  it('is always 07:00 local, at or after now, and within a day and an hour', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.constantFrom(...zones), (ms, zone) => {
        const now = new Date(ms);
        const digest = nextDigestTime(now, zone);
        expect(localHourMinute(digest, zone)).toBe('07:00');
        expect(digest.getTime()).toBeGreaterThanOrEqual(ms);
        expect(digest.getTime() - ms).toBeLessThanOrEqual(25 * 3600 * 1000);
      }),
    );
  });
});

describe('renderDigestMail', () => {
  it('lists each item with its time in the recipient zone and its link, escaping the HTML', () => {
    const mail = renderDigestMail({
      timeZone: 'Europe/Berlin',
      digestAt: at('2026-03-29T05:00:00Z'),
      items: [
        { subject: 'Review assigned: r-1', link: '/v1/reviews/r-1', at: at('2026-03-28T16:30:00Z') },
        { subject: 'Odd <b>"subject"</b>', link: null, at: at('2026-03-29T01:15:00Z') },
      ],
    });
    expect(mail.subject).toBe('Recordkeeper digest: 2 notifications');
    expect(mail.text).toContain('Your notifications up to 2026-03-29 07:00 (Europe/Berlin):');
    expect(mail.text).toContain('1. Review assigned: r-1\n   At: 2026-03-28 17:30 (Europe/Berlin)\n   Open: /v1/reviews/r-1');
    expect(mail.text).toContain('2. Odd <b>"subject"</b>\n   At: 2026-03-29 03:15 (Europe/Berlin)');
    expect(mail.html).toContain('<a href="/v1/reviews/r-1">Review assigned: r-1</a>');
    expect(mail.html).toContain('Odd &lt;b&gt;&quot;subject&quot;&lt;/b&gt;');
    expect(mail.html).not.toContain('<b>');
    expect(renderDigestMail({ timeZone: 'UTC', digestAt: at('2026-03-29T07:00:00Z'), items: [mail.subject].map((subject) => ({ subject, link: null, at: at('2026-03-29T06:00:00Z') })) }).subject).toBe(
      'Recordkeeper digest: 1 notification',
    );
  });

  it("finds a mail's link in its Open line, else in its first HTML link", () => {
    const review = renderReviewMail({ kind: 'review-assigned', step: 'assigned', reviewId: 'r-9', dueAt: null, timeZone: 'UTC' });
    expect(linkOfMail(review.text, review.html)).toBe('/v1/reviews/r-9');
    expect(linkOfMail('no link here', '<p><a class="x" href="/v1/a?b=1&amp;c=2">x</a></p>')).toBe('/v1/a?b=1&c=2');
    expect(linkOfMail('nothing', '<p>nothing</p>')).toBeNull();
  });
});
