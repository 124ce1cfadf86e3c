import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand, GetObjectLegalHoldCommand, GetObjectRetentionCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteConversationIfDueInTransaction } from '../../src/activities/retention.js';
import { auditLog } from '../../src/db/schema/index.js';
import { sha256Hex } from '../../src/lib/digest.js';
import { createS3MediaStore, type S3MediaStore } from '../../src/storage/s3-media-store.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { MEDIA_LOCK_RECONCILE_WORKFLOW, type MediaLockReconcileResult } from '../../src/workflows/media-lock-reconcile.contract.js';
import { MEDIA_REMOVAL_SWEEP_WORKFLOW, type MediaRemovalSweepResult } from '../../src/workflows/media-removal-sweep.contract.js';
import { captureTagged, runArchiveToCompletion } from '../support/archive.js';
import { download, emailMessage, postEml } from '../support/content-fixtures.js';
import { createHarness, type Harness } from '../support/harness.js';
import { releaseHold } from '../support/legal-holds.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { createBucket, startS3Server, type S3Server } from '../support/s3-server.js';

/**
 * The engine on an S3 bucket that enforces Object Lock (MEDIA_STORE=s3): captured media are written as
 * objects, the reconciler gives each the conversation's protection as its retain-until (extended, never
 * shortened) and mirrors its legal hold, and the deletion after the window destroys every object version
 * and names them in the disposal ledger.
 */
let s3: S3Server;
let store: S3MediaStore;
let harness: Harness;
const deleteTasks: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  store = createS3MediaStore(await createBucket(s3, 'engine-media', { objectLock: true }));
  harness = await createHarness({ media: store });
}, 600_000);

afterAll(async () => {
  for (const taskId of deleteTasks) await harness?.http('DELETE', `/v1/delete-tasks/${taskId}`);
  await harness?.close();
  store?.destroy();
  await s3?.stop();
});

// Whole seconds: what S3 keeps of a retain-until date.
const inSeconds = (seconds: number) => new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000);
const Bucket = 'engine-media';
const retainUntilOf = async (sha256: string) => (await store.client.send(new GetObjectRetentionCommand({ Bucket, Key: store.pathOf(sha256) }))).Retention?.RetainUntilDate?.toISOString();
const legalHoldOf = async (sha256: string) => (await store.client.send(new GetObjectLegalHoldCommand({ Bucket, Key: store.pathOf(sha256) }))).LegalHold?.Status;
const versionsOf = async (sha256: string) =>
  ((await store.client.send(new ListObjectVersionsCommand({ Bucket, Prefix: store.pathOf(sha256) }))).Versions ?? []).map((version) => version.VersionId!);

const reconcile = () =>
  harness.client.workflow.execute(MEDIA_LOCK_RECONCILE_WORKFLOW, { taskQueue: harness.taskQueue, workflowId: uniqueId('media-lock-reconcile'), args: [] }) as Promise<MediaLockReconcileResult>;
const sweepRemovals = () =>
  harness.client.workflow.execute(MEDIA_REMOVAL_SWEEP_WORKFLOW, { taskQueue: harness.taskQueue, workflowId: uniqueId('media-removal-sweep'), args: [] }) as Promise<MediaRemovalSweepResult>;

async function extendProtection(conversationId: string, until: Date): Promise<void> {
  const extended = await harness.http('POST', `/v1/conversations/${conversationId}/retention-extensions`, { until: until.toISOString(), reason: 'regulator request' });
  expect(extended.status, JSON.stringify(extended.body)).toBe(200);
  expect(extended.body.protectedUntil).toBe(until.toISOString());
}

describe('media on an S3 bucket with Object Lock', () => {
  it('are retained until their protection ends (extended with it), held with their conversation, and destroyed only after the window', async () => {
    const attachment = randomBytes(4096);
    const posted = await postEml(
      harness,
      emailMessage({
        from: { address: `${uniqueId('sender')}@example.com` },
        to: ['desk@bank.example'],
        subject: uniqueId('worm'),
        body: 'the trade confirmation',
        attachment: { fileName: 'confirmation.pdf', contentType: 'application/pdf', content: attachment },
      }),
    );
    expect(posted.status, JSON.stringify(posted.body)).toBeLessThan(300);
    const conversationId: string = posted.body.conversationId;
    const digests: string[] = (await harness.http('GET', `/v1/conversations/${conversationId}/media`)).body.items.map((item: { sha256: string }) => item.sha256);
    expect(digests).toHaveLength(2);
    for (const digest of digests) expect(await versionsOf(digest)).toHaveLength(1);
    const attachmentDigest = sha256Hex(attachment);
    expect(digests).toContain(attachmentDigest);
    // Served from the bucket, verified.
    const served = await download(harness, conversationId, attachmentDigest);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(attachment)).toBe(true);

    // Protection becomes each object's retain-until, and an extension extends it.
    const firstUntil = inSeconds(8);
    await extendProtection(conversationId, firstUntil);
    expect((await reconcile()).applied).toBeGreaterThanOrEqual(2);
    for (const digest of digests) expect(await retainUntilOf(digest)).toBe(firstUntil.toISOString());
    const protectedUntil = inSeconds(12);
    await extendProtection(conversationId, protectedUntil);
    await reconcile();
    for (const digest of digests) expect(await retainUntilOf(digest)).toBe(protectedUntil.toISOString());
    // Nothing left to change: a second pass applies nothing.
    expect((await reconcile()).applied).toBe(0);

    // The store itself refuses to delete a protected version.
    const [version] = await versionsOf(attachmentDigest);
    await expect(store.client.send(new DeleteObjectCommand({ Bucket, Key: store.pathOf(attachmentDigest), VersionId: version }))).rejects.toMatchObject({ name: 'AccessDenied' });

    // A legal hold is mirrored as the objects' legal hold, and released with it.
    const hold = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'litigation' });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    await reconcile();
    for (const digest of digests) expect(await legalHoldOf(digest)).toBe('ON');
    const released = await releaseHold(harness, `/v1/conversations/${conversationId}/legal-holds/${hold.body.holdId}/release`, 'litigation settled');
    expect(released.status, JSON.stringify(released.body)).toBeLessThan(300);
    await reconcile();
    for (const digest of digests) expect(await legalHoldOf(digest)).toBe('OFF');
    const lockEntries = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'MEDIA_LOCK_APPLIED'), eq(auditLog.result, 'OK'))).orderBy(asc(auditLog.chainSeq));
    expect(lockEntries.filter((entry) => entry.details.sha256 === attachmentDigest).map((entry) => [entry.details.retainUntil, entry.details.legalHold])).toEqual([
      [firstUntil.toISOString(), false],
      [protectedUntil.toISOString(), false],
      [protectedUntil.toISOString(), true],
      [protectedUntil.toISOString(), false],
    ]);

    // A delete task selects it; the worker is stopped so the test is the only deleter.
    const tag = uniqueId('WORM').toUpperCase().replaceAll('-', '_');
    await ensureTags(harness, [{ name: tag }]);
    expect((await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag })).status).toBe(200);
    await harness.stopWorker();
    const versionsBefore = new Map(await Promise.all(digests.map(async (digest) => [digest, await versionsOf(digest)] as const)));
    try {
      const task = await harness.http('POST', '/v1/delete-tasks', { name: `worm ${tag}`, selection: { tag: { name: tag } }, retentionSeconds: 3600 });
      expect(task.status, JSON.stringify(task.body)).toBe(201);
      deleteTasks.push(task.body.id);
      const deleteNow = () =>
        harness.db.transaction((tx) => deleteConversationIfDueInTransaction(tx, { conversationId, workflow: { workflowId: conversationWorkflowId(conversationId), runId: 'worm-test' } }));
      // Inside the window the engine does not delete...
      expect((await deleteNow()).deleted).toBe(false);
      // ...after it, it does.
      await eventually(async () => (Date.now() > protectedUntil.getTime() + 1000 ? true : undefined), 60_000);
      expect((await deleteNow()).deleted).toBe(true);
    } finally {
      await harness.startWorker();
    }
    const swept = await sweepRemovals();
    expect(swept.removed).toBeGreaterThanOrEqual(2);
    for (const digest of digests) expect(await versionsOf(digest)).toEqual([]);

    const report = await harness.http('GET', `/v1/disposals?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&limit=1000`);
    const disposal = report.body.items.find((item: { conversationId: string }) => item.conversationId === conversationId);
    expect(disposal.mediaDestruction).toMatchObject({ state: 'done', files: 2, removed: 2 });
    expect(
      [...disposal.destroyedObjectVersions].sort((a: { sha256: string }, b: { sha256: string }) => a.sha256.localeCompare(b.sha256)),
    ).toEqual(digests.flatMap((digest) => versionsBefore.get(digest)!.map((versionId) => ({ sha256: digest, versionId }))).sort((a, b) => a.sha256.localeCompare(b.sha256)));
  });

  it('writes archive packages as objects in the bucket, each file retained until the protection ends, and verifies them there', async () => {
    const tag = uniqueId('WORM_ARCHIVE').toUpperCase().replaceAll('-', '_');
    await ensureTags(harness, [{ name: tag }]);
    const conversationId = await captureTagged(harness, tag, 'equities');
    const protectedUntil = inSeconds(3600);
    await extendProtection(conversationId, protectedUntil);
    // A destination of its own: each archive task's destination is exclusive, and other test files use theirs.
    const destination = `worm-drive-${tag.toLowerCase()}`;
    const task = await harness.http('POST', '/v1/archive-tasks', { name: `worm ${tag}`, selection: { tag: { name: tag } }, destination });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    expect(await runArchiveToCompletion(harness, task.body.id)).toMatchObject({ selected: 1, done: 1, failed: 0 });

    const prefix = `archive/${destination}/${tag}/equities/${conversationId}/`;
    const listed = await store.client.send(new ListObjectVersionsCommand({ Bucket, Prefix: prefix }));
    const keys = (listed.Versions ?? []).map((version) => version.Key!.slice(prefix.length)).sort();
    expect(keys).toEqual(expect.arrayContaining(['conversation.json', 'manifest.json', 'segments.json', 'tags.json']));
    const manifest = listed.Versions!.find((version) => version.Key === `${prefix}manifest.json`)!;
    const retention = await store.client.send(new GetObjectRetentionCommand({ Bucket, Key: manifest.Key!, VersionId: manifest.VersionId! }));
    expect(retention.Retention).toMatchObject({ Mode: 'COMPLIANCE', RetainUntilDate: protectedUntil });
    await expect(store.client.send(new DeleteObjectCommand({ Bucket, Key: manifest.Key!, VersionId: manifest.VersionId! }))).rejects.toMatchObject({ name: 'AccessDenied' });

    const state = await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery);
    expect(state.steps.find((step) => step.step === 'archived')?.detail).toMatchObject({ path: `s3://${Bucket}/${prefix.slice(0, -1)}` });
    // The next run re-hashes the package in the bucket.
    const second = await runArchiveToCompletion(harness, task.body.id);
    expect(second.report.verification).toEqual({ checked: 1, failures: [] });
  });
});
