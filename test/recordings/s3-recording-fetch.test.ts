import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { RecordingFetchConfig } from '../../src/config.js';
import { openPglite, type DatabaseHandle } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { auditLog, callRecordings, recordingFetches } from '../../src/db/schema/index.js';
import { ensureRecordingFetchSchedule } from '../../src/temporal/schedules.js';
import { RECORDING_FETCH_WORKFLOW, type RecordingFetchResult } from '../../src/workflows/recording-fetch.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import { createHarness, type Harness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { startS3Server, type S3Server } from '../support/s3-server.js';
import { createScratchDatabase } from '../support/scratch-database.js';
import { sha256, wav } from './wav.js';

const BUCKET = 'connect-recordings-test';

let s3: S3Server;
let proxy: Awaited<ReturnType<typeof startCuttingProxy>>;
let objects: S3Client;
let database: DatabaseHandle;
let dropDatabase: () => Promise<void> = async () => undefined;
/** Fetches through the cutting proxy in front of versitygw. */
let harness: Harness;
/** The same database, a worker with no S3 configured. */
let unconfigured: Harness;
const deleteTasks: string[] = [];

beforeAll(async () => {
  s3 = await startS3Server();
  proxy = await startCuttingProxy(s3.endpoint, (path) => path.includes('/cut-short/'));
  objects = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await objects.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // The sweep claims every due fetch in its database: a database of this file's own.
  const runUrl = inject('databaseUrl');
  if (runUrl) {
    const scratch = await createScratchDatabase(runUrl, 'recfetch', 8);
    database = scratch.handle;
    dropDatabase = scratch.drop;
  } else {
    database = await openPglite(undefined);
    await applyMigrations(database);
  }
  const recordingFetch: RecordingFetchConfig = {
    s3: { endpoint: proxy.endpoint, region: s3.region, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, forcePathStyle: true },
    intervalSeconds: 1,
    retryBaseSeconds: 1,
    retryMaxSeconds: 2,
    maxAttempts: 8,
    maxBytes: 10 * 1024 * 1024,
  };
  harness = await createHarness({ database, activityDeps: { recordingFetch } });
  unconfigured = await createHarness({ database });
});

afterAll(async () => {
  for (const id of deleteTasks) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await unconfigured?.close();
  await harness?.close();
  objects?.destroy();
  await proxy?.stop();
  await s3?.stop();
  await database?.close();
  await dropDatabase();
});

const put = (key: string, body: Buffer) => objects.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'audio/wav' }));

/** An Amazon Connect record naming its audio as Connect does: in Recording and, with times, in Recordings[]. */
function recordNaming(key: string, overrides: Record<string, unknown> = {}) {
  const location = `${BUCKET}/${key}`;
  return contactRecord({
    Recording: { Location: location, Status: 'AVAILABLE', Type: 'AUDIO', DeletionReason: null },
    Recordings: [
      { Location: location, MediaStreamType: 'AUDIO', ParticipantType: 'ALL', StorageType: 'S3', Status: 'AVAILABLE', StartTimestamp: '2026-11-20T10:00:05Z', StopTimestamp: '2026-11-20T10:02:05Z' },
    ],
    ...overrides,
  });
}

async function sweep(): Promise<RecordingFetchResult> {
  return harness.client.workflow.execute(RECORDING_FETCH_WORKFLOW, { taskQueue: harness.taskQueue, workflowId: uniqueId('recording-fetch'), args: [] });
}

async function captured(on: Harness, record: Record<string, unknown>): Promise<string> {
  const posted = await on.http('POST', '/v1/contact-records', record);
  expect(posted.status, JSON.stringify(posted.body)).toBe(200);
  expect(posted.body.results[0].status).toBe('created');
  return posted.body.results[0].conversationId;
}

async function report() {
  const answer = await harness.as(await harness.tokenFor('auditor')).http('GET', '/health/capture');
  expect(answer.status).toBe(200);
  return answer.body.recordingFetches as { counts: Record<string, number>; unresolved: { conversationId: string; contactId: string; status: string; attempts: number; lastError: string | null; nextAttemptAt: string | null }[] };
}

const auditOf = (conversationId: string) => harness.db.select().from(auditLog).where(eq(auditLog.conversationId, conversationId));

async function play(conversationId: string, digest: string, range?: string) {
  return fetch(`${harness.baseUrl}/v1/conversations/${conversationId}/media/${digest}`, { headers: { authorization: `Bearer ${harness.admin.token}`, ...(range ? { range } : {}) } });
}

describe('recordings a contact record names in S3 (real versitygw)', () => {
  const scope = uniqueId('s3-fetch');
  let transferred: { conversationId: string; first: Buffer; second: Buffer } | undefined;

  it('fetches each leg’s object into a segment of its own: playable, digest-verified, with its provenance', async () => {
    const firstId = randomUUID();
    const secondId = randomUUID();
    const first = wav(4000, 3);
    const second = wav(3000, 5);
    await put(`connect/instance/CallRecordings/2026/11/20/${firstId}_20261120T10:00_UTC.wav`, first);
    await put(`connect/instance/CallRecordings/2026/11/20/${secondId}_20261120T10:03_UTC.wav`, second);
    const conversationId = await captured(
      harness,
      recordNaming(`connect/instance/CallRecordings/2026/11/20/${firstId}_20261120T10:00_UTC.wav`, { ContactId: firstId, NextContactId: secondId, Attributes: { retentionScope: scope } }),
    );
    const leg2 = await harness.http(
      'POST',
      '/v1/contact-records',
      recordNaming(`connect/instance/CallRecordings/2026/11/20/${secondId}_20261120T10:03_UTC.wav`, {
        ContactId: secondId,
        InitialContactId: firstId,
        PreviousContactId: firstId,
        InitiationMethod: 'TRANSFER',
        InitiationTimestamp: '2026-11-20T10:03:00Z',
        LastUpdateTimestamp: '2026-11-20T10:06:00Z',
        Attributes: { retentionScope: scope },
      }),
    );
    expect(leg2.body.results[0]).toMatchObject({ conversationId, status: 'created' });

    const result = await sweep();
    expect(result.fetched).toBeGreaterThanOrEqual(2);

    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.status).toBe(200);
    expect(read.body.segments).toEqual([
      expect.objectContaining({ segmentIndex: 0, recorded: true, mediaKept: true, recordings: [expect.objectContaining({ sha256: sha256(first), contentType: 'audio/wav', source: 's3', sizeBytes: first.length })] }),
      expect.objectContaining({ segmentIndex: 1, recorded: true, mediaKept: true, recordings: [expect.objectContaining({ sha256: sha256(second), source: 's3', sizeBytes: second.length })] }),
    ]);
    expect(read.body.segments[0].recordings[0].sourceLocation).toBe(`s3://${BUCKET}/connect/instance/CallRecordings/2026/11/20/${firstId}_20261120T10:00_UTC.wav`);

    const whole = await play(conversationId, sha256(second));
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(second));
    const ranged = await play(conversationId, sha256(first), 'bytes=44-143');
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(first.subarray(44, 144));

    const rows = await harness.db.select().from(recordingFetches).where(eq(recordingFetches.conversationId, conversationId));
    expect(rows.map((row) => ({ status: row.status, sha256: row.sha256, attempts: row.attempts }))).toEqual(
      expect.arrayContaining([
        { status: 'fetched', sha256: sha256(first), attempts: 0 },
        { status: 'fetched', sha256: sha256(second), attempts: 0 },
      ]),
    );
    expect(rows.every((row) => row.etag && row.sizeBytes)).toBe(true);
    const stored = (await auditOf(conversationId)).filter((entry) => entry.activity === 'RECORDING_STORED' && entry.result === 'OK');
    expect(stored).toHaveLength(2);
    expect(stored[0]!.details).toMatchObject({ source: 's3', etag: expect.any(String) });

    // Fetching again changes nothing: the rows are done, and a re-delivered record names nothing new.
    expect((await harness.http('POST', '/v1/contact-records', recordNaming(`x/${firstId}.wav`, { ContactId: firstId, NextContactId: secondId, LastUpdateTimestamp: '2026-11-20T10:03:00Z', Attributes: { retentionScope: scope } }))).body.results[0].status).toBe('stale');
    expect((await harness.db.select().from(recordingFetches).where(eq(recordingFetches.conversationId, conversationId))).length).toBe(2);
    transferred = { conversationId, first, second };
  });

  it('retries a missing object on the schedule, reports it meanwhile, and fetches it once it appears', async () => {
    const contactId = randomUUID();
    const key = `connect/instance/CallRecordings/2026/11/21/${contactId}.wav`;
    const conversationId = await captured(harness, recordNaming(key, { ContactId: contactId }));
    const scheduleId = await ensureRecordingFetchSchedule(harness.client, harness.taskQueue, 1);
    try {
      const waiting = await eventually(async () => {
        const mine = (await report()).unresolved.find((item) => item.contactId === contactId);
        return mine && mine.attempts >= 1 ? mine : undefined;
      });
      expect(waiting).toMatchObject({ conversationId, status: 'pending', lastError: expect.stringMatching(/not found/) });
      expect(waiting.nextAttemptAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const failures = (await auditOf(conversationId)).filter((entry) => entry.activity === 'RECORDING_STORED' && entry.result === 'FAIL');
      expect(failures.length).toBeGreaterThanOrEqual(1);
      expect(failures[0]!.details).toMatchObject({ attempt: 1, givenUp: false, location: `${BUCKET}/${key}` });

      const audio = wav(2000, 7);
      await put(key, audio);
      await eventually(async () => {
        const [row] = await harness.db.select().from(recordingFetches).where(eq(recordingFetches.contactId, contactId));
        return row?.status === 'fetched' ? row : undefined;
      });
      const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
      expect(read.body.segments[0].recordings[0].sha256).toBe(sha256(audio));
      expect((await report()).unresolved.some((item) => item.contactId === contactId)).toBe(false);
    } finally {
      await harness.client.schedule.getHandle(scheduleId).delete();
    }
  });

  it('refuses an object whose transfer falls short of its size, or that is empty, keeping nothing and reporting why', async () => {
    const cutId = randomUUID();
    const emptyId = randomUUID();
    const audio = wav(5000, 9);
    await put(`connect/cut-short/${cutId}.wav`, audio);
    await put(`connect/empty/${emptyId}.wav`, Buffer.alloc(0));
    const cut = await captured(harness, recordNaming(`connect/cut-short/${cutId}.wav`, { ContactId: cutId }));
    const empty = await captured(harness, recordNaming(`connect/empty/${emptyId}.wav`, { ContactId: emptyId }));

    await sweep();
    const unresolved = (await report()).unresolved;
    expect(unresolved.find((item) => item.contactId === cutId)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/size mismatch.*of 10044 bytes/) });
    expect(unresolved.find((item) => item.contactId === emptyId)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/size mismatch.*empty/) });
    for (const conversationId of [cut, empty]) {
      expect(await harness.db.select().from(callRecordings).where(eq(callRecordings.conversationId, conversationId))).toEqual([]);
      expect((await harness.http('GET', `/v1/conversations/${conversationId}/media`)).body.items).toEqual([]);
      expect((await auditOf(conversationId)).some((entry) => entry.activity === 'RECORDING_STORED' && entry.result === 'FAIL')).toBe(true);
    }
    expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(false);
    expect(fs.existsSync(harness.media.pathOf(sha256(audio.subarray(0, audio.length / 2))))).toBe(false);
  });

  it('gives up at once, reported and audited, on what retrying cannot fix: not audio, not an S3 location', async () => {
    const textId = randomUUID();
    await objects.send(new PutObjectCommand({ Bucket: BUCKET, Key: `connect/notes/${textId}.txt`, Body: 'call notes', ContentType: 'text/plain' }));
    const notAudio = await captured(harness, recordNaming(`connect/notes/${textId}.txt`, { ContactId: textId }));
    const urlId = randomUUID();
    const notS3 = await captured(
      harness,
      contactRecord({ ContactId: urlId, Recording: null, Recordings: [{ Location: `https://recordings.example.com/${urlId}.wav`, MediaStreamType: 'AUDIO', StorageType: 'S3' }] }),
    );
    await sweep();
    const unresolved = (await report()).unresolved;
    expect(unresolved.find((item) => item.contactId === textId)).toMatchObject({ status: 'given-up', attempts: 1, nextAttemptAt: null, lastError: expect.stringMatching(/not a recording type/) });
    expect(unresolved.find((item) => item.contactId === urlId)).toMatchObject({ status: 'given-up', attempts: 0, lastError: expect.stringMatching(/is not an S3 location/) });
    const [gaveUp] = (await auditOf(notAudio)).filter((entry) => entry.activity === 'RECORDING_STORED');
    expect(gaveUp).toMatchObject({ result: 'FAIL', details: expect.objectContaining({ givenUp: true }) });
    expect((await auditOf(notS3)).filter((entry) => entry.activity === 'RECORDING_STORED').map((entry) => entry.details)).toEqual([expect.objectContaining({ error: 'UNREADABLE_LOCATION' })]);
  });

  it('without S3 configured, reports each named recording as not fetched (never silently), and fetches it once an endpoint is', async () => {
    const contactId = randomUUID();
    const key = `connect/later/${contactId}.wav`;
    const conversationId = await captured(unconfigured, recordNaming(key, { ContactId: contactId }));
    const mine = (await report()).unresolved.find((item) => item.contactId === contactId);
    expect(mine).toMatchObject({ conversationId, status: 'pending', attempts: 0, lastError: 'recording not fetched: no S3 configured' });
    const [notice] = (await auditOf(conversationId)).filter((entry) => entry.activity === 'RECORDING_STORED');
    expect(notice).toMatchObject({ result: 'FAIL', description: expect.stringContaining('no S3 configured') });

    const audio = wav(1500, 11);
    await put(key, audio);
    await sweep();
    const [row] = await harness.db.select().from(recordingFetches).where(and(eq(recordingFetches.contactId, contactId), eq(recordingFetches.status, 'fetched')));
    expect(row?.sha256).toBe(sha256(audio));
  });

  it('a conversation deleted at the end of its retention keeps no audio file and no recording rows', async () => {
    const { conversationId, first, second } = transferred!;
    for (const audio of [first, second]) expect(fs.existsSync(harness.media.pathOf(sha256(audio)))).toBe(true);
    const task = await harness.http('POST', '/v1/delete-tasks', { name: `recordings ${scope}`, selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined), 60_000);
    await eventually(async () => ([first, second].every((audio) => !fs.existsSync(harness.media.pathOf(sha256(audio)))) ? true : undefined));
    expect(await harness.db.select().from(callRecordings).where(eq(callRecordings.conversationId, conversationId))).toEqual([]);
    expect(await harness.db.select().from(recordingFetches).where(eq(recordingFetches.conversationId, conversationId))).toEqual([]);
    expect([404, 410]).toContain((await play(conversationId, sha256(first), 'bytes=0-9')).status);
  });
});
