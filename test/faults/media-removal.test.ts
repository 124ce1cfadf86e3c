import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { deleteConversationIfDueInTransaction } from '../../src/activities/retention.js';
import { auditLog } from '../../src/db/schema/index.js';
import { MEDIA_REMOVAL_SWEEP_WORKFLOW, type MediaRemovalSweepResult } from '../../src/workflows/media-removal-sweep.contract.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { download, emailMessage, postEml } from '../support/content-fixtures.js';
import type { Harness } from '../support/harness.js';
import { ensureTags, eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { startWorkerProcess } from '../support/worker-process.js';

/**
 * A worker that dies after a deletion's transaction commits and before the files are removed: the files
 * were queued for removal in that transaction, and the sweep (at worker start-up and on its schedule)
 * removes them. Files other conversations still use, or captured again since, stay.
 */
const { harness, deleteTasks } = await lifecycleHarness();

async function emailWith(attachment: Buffer): Promise<{ conversationId: string; digests: string[] }> {
  const eml = emailMessage({
    from: { address: `${uniqueId('sender')}@example.com` },
    to: ['desk@bank.example'],
    subject: uniqueId('media crash'),
    body: 'the trade confirmation',
    attachment: { fileName: 'confirmation.pdf', contentType: 'application/pdf', content: attachment },
  });
  const posted = await postEml(harness, eml);
  expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
  const conversationId: string = posted.body.conversationId;
  const listed = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
  return { conversationId, digests: listed.body.items.map((item: { sha256: string }) => item.sha256) };
}

/**
 * Tags conversations for deletion under a task of their own, created while the worker is stopped, so no
 * lifecycle deletes them itself: the test is the only deleter. Every email here is dated weeks ago, so it
 * is due the moment the task exists. The worker stays stopped until the caller starts it.
 */
async function dueWithWorkerStopped(conversationIds: string[]): Promise<void> {
  const tag = uniqueId('MEDIA_CRASH').toUpperCase().replaceAll('-', '_');
  await ensureTags(harness, [{ name: tag }]);
  for (const id of conversationIds) expect((await harness.http('POST', `/v1/conversations/${id}/tags`, { name: tag })).status).toBe(200);
  await harness.stopWorker();
  const task = await harness.http('POST', '/v1/delete-tasks', { name: `media crash ${tag}`, selection: { tag: { name: tag } }, retentionSeconds: 3600 });
  expect(task.status, JSON.stringify(task.body)).toBe(201);
  deleteTasks.push(task.body.id);
}

/** The deleting transaction commits; the process "dies" before the next line, which would remove the files. */
async function deleteAndCrash(conversationId: string): Promise<void> {
  const outcome = await harness.db.transaction((tx) =>
    deleteConversationIfDueInTransaction(tx, { conversationId, workflow: { workflowId: conversationWorkflowId(conversationId), runId: 'run-that-crashed' } }),
  );
  expect(outcome.deleted).toBe(true);
}

const onDisk = (digest: string) => fs.existsSync(harness.media.pathOf(digest));

async function disposalOf(conversationId: string) {
  const report = await harness.http('GET', `/v1/disposals?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&limit=1000`);
  expect(report.status).toBe(200);
  return report.body.items.find((item: { conversationId: string }) => item.conversationId === conversationId);
}

async function mediaDestroyedEntries(h: Harness, conversationId: string) {
  return h.db.select().from(auditLog).where(and(eq(auditLog.conversationId, conversationId), eq(auditLog.activity, 'MEDIA_DESTROYED')));
}

const runSweep = () =>
  harness.client.workflow.execute(MEDIA_REMOVAL_SWEEP_WORKFLOW, { taskQueue: harness.taskQueue, workflowId: uniqueId('media-removal-sweep'), args: [] }) as Promise<MediaRemovalSweepResult>;

describe('media of a deleted conversation', () => {
  it('is removed by the scheduled sweep after a crash between the deletion and the removal, and the ledger says when', async () => {
    const { conversationId, digests } = await emailWith(randomBytes(2048));
    expect(digests).toHaveLength(2);
    await dueWithWorkerStopped([conversationId]);
    try {
      await deleteAndCrash(conversationId);
    } finally {
      await harness.startWorker();
    }
    // What the crash leaves: the conversation is gone, its bytes are not (yet), and the ledger says so.
    expect(digests.every(onDisk)).toBe(true);
    expect((await disposalOf(conversationId)).mediaDestruction).toEqual({ state: 'pending', files: 2, removed: 0, inUseElsewhere: 0, destroyedAt: null });

    const swept = await runSweep();
    expect(swept.removed).toBeGreaterThanOrEqual(2);
    expect(digests.some(onDisk)).toBe(false);
    const { mediaDestruction, disposedAt } = await disposalOf(conversationId);
    expect(mediaDestruction).toMatchObject({ state: 'done', files: 2, removed: 2, inUseElsewhere: 0 });
    expect(Date.parse(mediaDestruction.destroyedAt)).toBeGreaterThanOrEqual(Date.parse(disposedAt));
    // Removed once, audited once, however many sweeps run.
    await runSweep();
    expect((await mediaDestroyedEntries(harness, conversationId)).map((entry) => entry.details.sha256).sort()).toEqual([...digests].sort());
  });

  it('keeps a file another conversation still uses, and one captured again before the sweep came', async () => {
    const shared = randomBytes(2048);
    const first = await emailWith(shared);
    const second = await emailWith(shared);
    const sharedDigest = first.digests.find((digest) => second.digests.includes(digest))!;
    expect(sharedDigest).toBeDefined();
    await dueWithWorkerStopped([first.conversationId, second.conversationId]);
    try {
      await deleteAndCrash(first.conversationId);
      // The attachment is still the second email's: only the first email's own original is queued.
      expect((await disposalOf(first.conversationId)).mediaDestruction).toMatchObject({ state: 'pending', files: 1 });
      await deleteAndCrash(second.conversationId);
    } finally {
      await harness.startWorker();
    }
    expect((await disposalOf(second.conversationId)).mediaDestruction).toMatchObject({ state: 'pending', files: 2 });
    // Before the sweep comes, a third email brings the same attachment: the file is its now.
    const third = await emailWith(shared);
    await runSweep();
    expect(onDisk(sharedDigest)).toBe(true);
    const served = await download(harness, third.conversationId, sharedDigest);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(shared)).toBe(true);
    expect((await disposalOf(second.conversationId)).mediaDestruction).toMatchObject({ state: 'done', files: 2, removed: 1, inUseElsewhere: 1 });
    expect((await disposalOf(first.conversationId)).mediaDestruction).toMatchObject({ state: 'done', files: 1, removed: 1 });
    expect([...first.digests, ...second.digests].filter((digest) => digest !== sharedDigest).some(onDisk)).toBe(false);
  });

  // A worker process shares the database only with a PostgreSQL server; PGlite lives inside one process.
  it.skipIf(!inject('databaseUrl'))('is removed when a worker process starts, before any schedule runs', async () => {
    const { conversationId, digests } = await emailWith(randomBytes(2048));
    await dueWithWorkerStopped([conversationId]);
    await deleteAndCrash(conversationId);
    expect(digests.every(onDisk)).toBe(true);
    const workerProcess = await startWorkerProcess(harness);
    try {
      await eventually(async () => (digests.some(onDisk) ? undefined : true), 30_000);
      await eventually(async () => ((await disposalOf(conversationId)).mediaDestruction.state === 'done' ? true : undefined));
      expect((await mediaDestroyedEntries(harness, conversationId)).map((entry) => entry.actorType)).toEqual(['system', 'system']);
    } finally {
      await workerProcess.kill();
      await harness.startWorker();
    }
    // Room for the worker process to start and for the wait above, so the finally always kills it.
  }, 150_000);
});
