import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/db/schema/index.js';
import { nextDigestTime } from '../../src/domain/notification-digest.js';
import { formatInTimeZone } from '../../src/domain/review-notifications.js';
import { dispatchDueNotifications } from '../../src/notify/dispatch.js';
import { assignReviews, insertRecipient, openOutboxScratch } from '../support/outbox-scratch.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * The daily digest: a daily-digest user's review mails wait for 07:00 on their clock and go out as one mail;
 * an immediate user's go out one by one. Rows are queued "yesterday" (the enqueuer takes the time), so their
 * digest time has passed when the test dispatches. On a database of its own: the dispatcher takes every due row.
 */
const scratch = await openOutboxScratch('outbox_digest');
const smtp = await startSmtpServer();
afterAll(async () => {
  await smtp.stop();
  await scratch.drop();
});

const options = { batchSize: 50, leaseSeconds: 30 };
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rowsOf(recipientId: string) {
  return scratch.db.select().from(notificationOutbox).where(eq(notificationOutbox.recipientUserId, recipientId)).orderBy(asc(notificationOutbox.id));
}

describe('daily digest', () => {
  it("a daily-digest user's three review mails arrive as one digest at 07:00 their time; an immediate user's as three mails", async () => {
    const digestReader = await insertRecipient(scratch.db, { notificationDelivery: 'daily-digest', timeZone: 'Europe/Berlin' });
    const immediateReader = await insertRecipient(scratch.db, { timeZone: 'America/New_York' });
    const yesterday = new Date(Date.now() - 36 * 3600 * 1000);
    const digestReviews = await assignReviews(scratch.db, digestReader, 3, yesterday);
    const immediateReviews = await assignReviews(scratch.db, immediateReader, 3, yesterday);
    // Queued just now: waits for the next digest.
    const [laterReview] = await assignReviews(scratch.db, digestReader, 1, new Date());

    const digestAt = nextDigestTime(yesterday, 'Europe/Berlin');
    expect(formatInTimeZone(digestAt, 'Europe/Berlin')).toMatch(/ 07:00 \(Europe\/Berlin\)$/);
    const queued = await rowsOf(digestReader.id);
    expect(queued).toHaveLength(4);
    const waiting = queued.filter((row) => row.textBody.includes(laterReview!));
    const due = queued.filter((row) => !row.textBody.includes(laterReview!));
    for (const row of due) expect(row).toMatchObject({ kind: 'review-assigned', status: 'pending', digestAt, nextAttemptAt: digestAt });
    expect(waiting[0]!.digestAt!.getTime()).toBeGreaterThan(Date.now());
    expect(waiting[0]!.nextAttemptAt).toEqual(waiting[0]!.digestAt);
    expect((await rowsOf(immediateReader.id)).map((row) => row.digestAt)).toEqual([null, null, null]);

    const round = await dispatchDueNotifications(scratch.db, smtp.mailer(), options);
    expect(round).toMatchObject({ claimed: 6, sent: 6, mails: 4, failed: 0 });

    const [digest, ...more] = smtp.to(digestReader.email);
    expect(more).toHaveLength(0);
    expect(digest!.parsed.subject).toBe('Recordkeeper digest: 3 notifications');
    const smallestId = due.map((row) => row.id).sort()[0]!;
    expect(digest!.parsed.messageId).toBe(`<digest.${smallestId}@localhost>`);
    const text = digest!.parsed.text ?? '';
    const html = String(digest!.parsed.html);
    expect(text).toContain(`Your notifications up to ${formatInTimeZone(digestAt, 'Europe/Berlin')}`);
    for (const reviewId of digestReviews) {
      expect(text).toContain(`Review assigned: ${reviewId}`);
      expect(text).toContain(`Open: /v1/reviews/${reviewId}`);
      expect(html).toContain(`<a href="/v1/reviews/${reviewId}">Review assigned: ${reviewId}</a>`);
    }
    expect(text).not.toContain(laterReview);
    expect(text.match(/\(Europe\/Berlin\)/g)).toHaveLength(4);
    expect(text).not.toContain('(UTC)');

    const singles = smtp.to(immediateReader.email);
    expect(singles.map((mail) => mail.parsed.subject).sort()).toEqual(immediateReviews.map((id) => `Review assigned: ${id}`).sort());
    expect(singles.map((mail) => mail.parsed.text).every((body) => body?.includes('(America/New_York)'))).toBe(true);

    const after = await rowsOf(digestReader.id);
    expect(after.filter((row) => row.status === 'sent').map((row) => row.id).sort()).toEqual(due.map((row) => row.id).sort());
    expect(after.find((row) => row.id === waiting[0]!.id)).toMatchObject({ status: 'pending', sentAt: null });
    // All three marked in one transaction: one sent_at.
    expect(new Set(after.filter((row) => row.status === 'sent').map((row) => row.sentAt!.getTime())).size).toBe(1);

    expect(await dispatchDueNotifications(scratch.db, smtp.mailer(), options)).toMatchObject({ claimed: 0, sent: 0 });
    await settle(300);
    expect(smtp.to(digestReader.email)).toHaveLength(1);
    expect(smtp.to(immediateReader.email)).toHaveLength(3);
  });

  it('with the SMTP server down a digest counts an attempt on each of its rows and arrives once when it is back', async () => {
    const reader = await insertRecipient(scratch.db, { notificationDelivery: 'daily-digest', timeZone: 'Asia/Kolkata' });
    await assignReviews(scratch.db, reader, 2, new Date(Date.now() - 30 * 3600 * 1000));
    const retry = { maxAttempts: 5, firstBackoffSeconds: 1, maxBackoffSeconds: 1 };

    await smtp.stop();
    try {
      const down = await dispatchDueNotifications(scratch.db, smtp.mailer(), { ...options, retry });
      expect(down).toMatchObject({ claimed: 2, sent: 0, mails: 0, failed: 2 });
      const rows = await rowsOf(reader.id);
      expect(rows.map((row) => [row.status, row.attempts])).toEqual([['pending', 1], ['pending', 1]]);
      expect(rows.every((row) => row.lastError)).toBe(true);
    } finally {
      await smtp.start();
    }
    await settle(1_200);
    const back = await dispatchDueNotifications(scratch.db, smtp.mailer(), { ...options, retry });
    expect(back).toMatchObject({ claimed: 2, sent: 2, mails: 1 });
    expect(smtp.to(reader.email).map((mail) => mail.parsed.subject)).toEqual(['Recordkeeper digest: 2 notifications']);
    const rows = await scratch.db.select().from(notificationOutbox).where(inArray(notificationOutbox.recipientUserId, [reader.id]));
    expect(rows.every((row) => row.status === 'sent' && row.lastError === null)).toBe(true);
  });
});
