import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { notificationOutbox } from '../../src/db/schema/index.js';
import { dispatchDueNotifications } from '../../src/notify/dispatch.js';
import { openOutboxScratch, queueMail, insertRecipient } from '../support/outbox-scratch.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * The done-when of issue 12: a dispatcher process is killed (SIGKILL) after it has claimed the due mails
 * and before it has sent any; once its lease has passed the next dispatcher sends each mail exactly once.
 * On a database of its own, so the claims take no other test file's rows.
 */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const LEASE_SECONDS = 3;
const scratch = await openOutboxScratch('outbox_kill');
const smtp = await startSmtpServer();
afterAll(async () => {
  await smtp.stop();
  await scratch.drop();
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function claimThenHang(databaseUrl: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/claim-then-hang.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, LEASE_SECONDS: String(LEASE_SECONDS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const claimed = new Promise<string[]>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no claim within 30 s:\n${output}`)), 30_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^CLAIMED (.*)$/m.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line[1]!) as string[]);
      }
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`claiming process exited with ${code} before claiming:\n${output}`));
    });
  });
  return { claimed, kill: async () => (child.kill('SIGKILL'), exited) };
}

describe('a dispatcher killed between claiming and sending', () => {
  it.skipIf(!scratch.url)('leaves its rows leased; after the lease each mail is sent exactly once, and never again', async () => {
    const immediate = await Promise.all([insertRecipient(scratch.db), insertRecipient(scratch.db, { timeZone: 'Europe/Berlin' })]);
    const digestReader = await insertRecipient(scratch.db, { notificationDelivery: 'daily-digest', timeZone: 'Asia/Tokyo' });
    const singleIds = [
      await queueMail(scratch.db, immediate[0]!),
      await queueMail(scratch.db, immediate[0]!),
      await queueMail(scratch.db, immediate[1]!),
    ];
    // Queued two days ago: their digest time has passed.
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    const digestIds = [await queueMail(scratch.db, digestReader, { queuedAt: twoDaysAgo }), await queueMail(scratch.db, digestReader, { queuedAt: twoDaysAgo })];

    const dispatcher = claimThenHang(scratch.url!);
    const claimed = await dispatcher.claimed;
    expect(new Set(claimed)).toEqual(new Set([...singleIds, ...digestIds]));
    const signal = await dispatcher.kill();
    const killedAt = Date.now();
    expect(signal).toBe('SIGKILL');

    const mailer = smtp.mailer();
    const options = { batchSize: 50, leaseSeconds: 30 };
    // The dead process's lease still holds: a dispatcher now takes nothing.
    const early = await dispatchDueNotifications(scratch.db, mailer, options);
    expect(early).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.received).toHaveLength(0);

    const rounds: { at: number; sent: number }[] = [];
    for (let sent = 0; sent < claimed.length; ) {
      const round = await dispatchDueNotifications(scratch.db, mailer, options);
      if (round.sent > 0) rounds.push({ at: Date.now() - killedAt, sent: round.sent });
      sent += round.sent;
      if (sent < claimed.length) await settle(200);
      expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS + 20) * 1000);
    }
    // Nothing went out before the lease had passed.
    expect(rounds[0]!.at).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000 - 1_500);

    const again = await dispatchDueNotifications(scratch.db, mailer, options);
    expect(again).toMatchObject({ claimed: 0, sent: 0 });
    await settle(500);

    // Three immediate mails and one digest, each received once (counted by Message-ID).
    const byMessageId = new Map<string, number>();
    for (const mail of smtp.received) byMessageId.set(mail.parsed.messageId!, (byMessageId.get(mail.parsed.messageId!) ?? 0) + 1);
    const smallestDigestId = [...digestIds].sort()[0]!;
    expect(new Set(byMessageId.keys())).toEqual(new Set([...singleIds.map((id) => `<${id}@localhost>`), `<digest.${smallestDigestId}@localhost>`]));
    expect([...byMessageId.values()].every((count) => count === 1)).toBe(true);
    expect(smtp.to(digestReader.email)).toHaveLength(1);
    expect(smtp.to(digestReader.email)[0]!.parsed.subject).toBe('Recordkeeper digest: 2 notifications');

    for (const id of [...singleIds, ...digestIds]) {
      const [row] = await scratch.db.select().from(notificationOutbox).where(eq(notificationOutbox.id, id));
      expect(row).toMatchObject({ status: 'sent', attempts: 0, claimedUntil: null });
    }
  });
});
