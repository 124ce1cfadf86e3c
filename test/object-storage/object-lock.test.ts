import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, GetObjectLegalHoldCommand, GetObjectRetentionCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, parseConfig, type ObjectStoreConfig } from '../../src/config.js';
import { sha256Hex } from '../../src/lib/digest.js';
import type { Logger, LogLevel } from '../../src/lib/logger.js';
import { MediaLockedError } from '../../src/media/media-errors.js';
import { openMediaStore } from '../../src/storage/open-media-store.js';
import { createS3MediaStore, type S3MediaStore } from '../../src/storage/s3-media-store.js';
import { runWormSelfTest, StorageNotWormError } from '../../src/storage/worm-self-test.js';
import { eventually } from '../support/lifecycle.js';
import { createBucket, startS3Server, type S3Server } from '../support/s3-server.js';

/**
 * The S3 media store against a real S3-compatible server that enforces Object Lock (versitygw): what the
 * lock refuses, that the store never shortens a retention, and the start-up WORM self-test.
 */
let s3: S3Server;
let locked: ObjectStoreConfig;
let plain: ObjectStoreConfig;
let store: S3MediaStore;
/** Keeps what the start-up would log, to check it. */
const logged: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
const recorder: Logger = {
  log: (level, message, fields) => logged.push({ level, message, fields }),
  info: (message, fields) => logged.push({ level: 'info', message, fields }),
  warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
  error: (message, fields) => logged.push({ level: 'error', message, fields }),
};

beforeAll(async () => {
  s3 = await startS3Server();
  locked = await createBucket(s3, 'media-locked', { objectLock: true });
  plain = await createBucket(s3, 'media-plain', { objectLock: false });
  store = createS3MediaStore(locked);
}, 600_000);

afterAll(async () => {
  store?.destroy();
  await s3?.stop();
});

const inSeconds = (seconds: number) => new Date(Math.ceil(Date.now() / 1000) * 1000 + seconds * 1000);
const versionsOf = async (sha256: string) =>
  ((await store.client.send(new ListObjectVersionsCommand({ Bucket: locked.bucket, Prefix: store.pathOf(sha256) }))).Versions ?? []).map((version) => version.VersionId);
const readStream = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('the S3 media store', () => {
  it('stores content once under its digest and serves it verified, whole or streamed', async () => {
    const content = randomBytes(300_000);
    const digest = sha256Hex(content);
    expect(await store.put(content)).toEqual({ sha256: digest, sizeBytes: content.length, written: true });
    expect(await store.put(content)).toEqual({ sha256: digest, sizeBytes: content.length, written: false });
    expect(store.pathOf(digest)).toBe(`sha256/${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`);
    expect((await store.read(digest)).equals(content)).toBe(true);
    const opened = await store.open(digest);
    expect(opened.sizeBytes).toBe(content.length);
    expect((await readStream(opened.stream())).equals(content)).toBe(true);
    expect(await versionsOf(digest)).toHaveLength(1);
  });

  it('a locked object cannot be deleted through the storage API before its retain-until; after it, the store removes every version', async () => {
    const content = randomBytes(1024);
    const { sha256 } = await store.put(content);
    const retainUntil = inSeconds(4);
    const { versionId } = await store.locking!.apply(sha256, { retainUntil, legalHold: false });
    expect(versionId).toBeTruthy();
    const retention = await store.client.send(new GetObjectRetentionCommand({ Bucket: locked.bucket, Key: store.pathOf(sha256), VersionId: versionId! }));
    expect(retention.Retention).toMatchObject({ Mode: 'COMPLIANCE' });
    expect(retention.Retention?.RetainUntilDate?.getTime()).toBe(retainUntil.getTime());

    // Straight through the S3 API, naming the version: refused.
    await expect(store.client.send(new DeleteObjectCommand({ Bucket: locked.bucket, Key: store.pathOf(sha256), VersionId: versionId! }))).rejects.toMatchObject({ name: 'AccessDenied' });
    // Through the engine's store: refused the same way, and nothing is destroyed.
    await expect(store.remove(sha256)).rejects.toBeInstanceOf(MediaLockedError);
    expect(await versionsOf(sha256)).toEqual([versionId]);
    expect((await store.read(sha256)).equals(content)).toBe(true);

    const removed = await eventually(async () => (Date.now() > retainUntil.getTime() + 1000 ? await store.remove(sha256) : undefined), 30_000);
    expect(removed.versionIds).toEqual([versionId]);
    expect(await versionsOf(sha256)).toEqual([]);
    await expect(store.client.send(new GetObjectCommand({ Bucket: locked.bucket, Key: store.pathOf(sha256) }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    // Already gone is not an error.
    expect(await store.remove(sha256)).toEqual({ versionIds: [] });
  });

  it('is locked by its write, before any lock reconciler pass, and removable once that retention has passed', async () => {
    const writeLocked = createS3MediaStore({ ...locked, writeRetentionSeconds: 3 });
    try {
      const { sha256 } = await writeLocked.put(randomBytes(2048));
      const [versionId] = await versionsOf(sha256);
      const retention = await writeLocked.client.send(new GetObjectRetentionCommand({ Bucket: locked.bucket, Key: writeLocked.pathOf(sha256), VersionId: versionId! }));
      expect(retention.Retention?.Mode).toBe('COMPLIANCE');
      await expect(
        writeLocked.client.send(new DeleteObjectCommand({ Bucket: locked.bucket, Key: writeLocked.pathOf(sha256), VersionId: versionId! })),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      await expect(writeLocked.remove(sha256)).rejects.toBeInstanceOf(MediaLockedError);
      const retainUntil = retention.Retention!.RetainUntilDate!;
      const removed = await eventually(async () => (Date.now() > retainUntil.getTime() + 1000 ? await writeLocked.remove(sha256) : undefined), 30_000);
      expect(removed.versionIds).toEqual([versionId]);
    } finally {
      writeLocked.destroy();
    }
  });

  it('extends a retention but never shortens it', async () => {
    const { sha256 } = await store.put(randomBytes(512));
    const later = inSeconds(120);
    await store.locking!.apply(sha256, { retainUntil: inSeconds(60), legalHold: false });
    await store.locking!.apply(sha256, { retainUntil: later, legalHold: false });
    await store.locking!.apply(sha256, { retainUntil: inSeconds(30), legalHold: false });
    const retention = await store.client.send(new GetObjectRetentionCommand({ Bucket: locked.bucket, Key: store.pathOf(sha256) }));
    expect(retention.Retention?.RetainUntilDate?.getTime()).toBe(later.getTime());
  });

  it('mirrors a legal hold: held, the object cannot be removed; released, it can', async () => {
    const { sha256 } = await store.put(randomBytes(512));
    await store.locking!.apply(sha256, { retainUntil: null, legalHold: true });
    const hold = await store.client.send(new GetObjectLegalHoldCommand({ Bucket: locked.bucket, Key: store.pathOf(sha256) }));
    expect(hold.LegalHold?.Status).toBe('ON');
    await expect(store.remove(sha256)).rejects.toBeInstanceOf(MediaLockedError);
    await store.locking!.apply(sha256, { retainUntil: null, legalHold: false });
    expect((await store.remove(sha256)).versionIds).toHaveLength(1);
  });
});

describe('the WORM self-test at start-up', () => {
  it('passes on a bucket that enforces Object Lock', async () => {
    const result = await runWormSelfTest(store.client, locked.bucket, 'COMPLIANCE');
    expect(result, result.detail).toMatchObject({ enforced: true });
    const opened = await openMediaStore({ ...parseConfig({ MEDIA_STORE: 's3', OBJECT_STORE_BUCKET: locked.bucket, STORAGE_MODE: 'compliance' }), mediaStore: { kind: 's3', ...locked } }, recorder);
    expect(opened.root).toBe(`s3://${locked.bucket}`);
    expect(logged.at(-1)).toMatchObject({ level: 'info', fields: { bucket: locked.bucket, enforced: true } });
  });

  it('refuses a store that does not enforce it: compliance mode does not start, standard mode starts with a warning', async () => {
    const plainStore = createS3MediaStore(plain);
    try {
      const result = await runWormSelfTest(plainStore.client, plain.bucket, 'COMPLIANCE');
      expect(result.enforced).toBe(false);
      expect(result.detail).toMatch(/Object Lock/);
    } finally {
      plainStore.destroy();
    }
    const config = (storageMode: 'compliance' | 'standard') => ({ ...parseConfig({ MEDIA_STORE: 's3', OBJECT_STORE_BUCKET: plain.bucket, STORAGE_MODE: storageMode }), mediaStore: { kind: 's3' as const, ...plain } });
    await expect(openMediaStore(config('compliance'), recorder)).rejects.toBeInstanceOf(StorageNotWormError);
    expect(logged.at(-1)).toMatchObject({ level: 'error', fields: { bucket: plain.bucket, enforced: false, storageMode: 'compliance' } });
    const warned = await openMediaStore(config('standard'), recorder);
    expect(warned.root).toBe(`s3://${plain.bucket}`);
    expect(logged.at(-1)).toMatchObject({ level: 'warn', fields: { bucket: plain.bucket, enforced: false, storageMode: 'standard' } });
  });

  // The worker entry point needs the PostgreSQL server (PGlite lives inside one process).
  it.skipIf(!inject('databaseUrl'))('stops the worker process at start-up, with a non-zero exit, in compliance mode on a bucket without Object Lock', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl') ?? undefined,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TEMPORAL_TASK_QUEUE: `worm-refusal-${process.pid}`,
        MIGRATE_ON_START: 'false',
        MEDIA_STORE: 's3',
        STORAGE_MODE: 'compliance',
        OBJECT_STORE_ENDPOINT: s3.endpoint,
        OBJECT_STORE_BUCKET: plain.bucket,
        OBJECT_STORE_ACCESS_KEY_ID: s3.accessKeyId,
        OBJECT_STORE_SECRET_ACCESS_KEY: s3.secretAccessKey,
        AUDIT_SIGNING_KEY_FILE: path.join(os.tmpdir(), `worm-refusal-${process.pid}`, 'key.pem'),
        AUDIT_ANCHOR_DIR: path.join(os.tmpdir(), `worm-refusal-${process.pid}`, 'anchors'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(exitCode, output).not.toBe(0);
    expect(output).toContain('StorageNotWormError');
    expect(output).not.toContain('"worker started"');
  }, 120_000);

  it('compliance mode is refused on a local folder, and MEDIA_STORE=s3 needs a bucket', () => {
    expect(() => parseConfig({ STORAGE_MODE: 'compliance' })).toThrow(ConfigError);
    expect(() => parseConfig({ MEDIA_STORE: 's3' })).toThrow(/OBJECT_STORE_BUCKET/);
    expect(parseConfig({ MEDIA_STORE: 's3', OBJECT_STORE_BUCKET: 'media', OBJECT_STORE_ENDPOINT: 'http://127.0.0.1:9000' }).mediaStore).toMatchObject({
      kind: 's3',
      bucket: 'media',
      lockMode: 'COMPLIANCE',
      writeRetentionSeconds: 86_400,
      endpoint: { endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    });
  });
});
