import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { createApp } from '../src/api/app.js';
import type { CaptureAdmissionConfig } from '../src/config.js';
import { startDevServer, type RunningDevServer } from '../src/devserver/dev-server.js';
import { ensureTemporalCli } from '../src/devserver/temporal-cli.js';
import { issueApiToken } from '../src/identity/api-tokens.js';
import { expiryAfterDays } from '../src/identity/user-input.js';
import { createUser } from '../src/identity/users.js';
import { createMediaStore } from '../src/media/media-store.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { freePort } from '../test/support/free-port.js';
import { devServerPid, startWorkerChild, type WorkerChild } from './processes.js';

/** The flags src/devserver/dev-server.ts starts every dev server with (the project's own), for the table. */
export const DEV_SERVER_FLAGS = 'start-dev --log-level warn --sqlite-pragma journal_mode=WAL --sqlite-pragma synchronous=NORMAL (in memory)';

export interface BenchTemporal {
  server: RunningDevServer;
  address: string;
  pid: number | undefined;
  /** `temporal --version`: CLI, server and UI versions. */
  version: string;
  client: Client;
  close(): Promise<void>;
}

export async function startBenchTemporal(options: { cacheDir: string; temporalCli: string | undefined; log: (line: string) => void }): Promise<BenchTemporal> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cliPath = await ensureTemporalCli({ explicitPath: options.temporalCli, cacheDir: options.cacheDir, log: options.log });
  const version = execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim().replace(/^temporal version /, '');
  const server = await startDevServer({ cliPath, port: await freePort(), uiPort: await freePort(), namespace: 'default', dbFile: undefined, log: options.log });
  const connection = await Connection.connect({ address: server.address });
  return {
    server,
    address: server.address,
    pid: devServerPid(server.address),
    version,
    client: new Client({ connection }),
    async close() {
      await connection.close();
      await server.stop();
    },
  };
}

export interface BenchEngine {
  databaseName: string;
  databaseUrl: string;
  db: Awaited<ReturnType<typeof createScratchDatabase>>['handle']['db'];
  worker: WorkerChild;
  taskQueue: string;
  /** Starts a new worker process (after a kill), on the same queue and database. */
  restartWorker(): Promise<WorkerChild>;
  /** POSTs one contact record (or a batch) through the real app, in process; resolves with the status and body. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any }>;
  /** Any API call as an admin (delete tasks, tags). */
  asAdmin(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/**
 * The engine as it runs in production, minus the network: the API in this process (app.request), the
 * production worker entry point (src/worker.ts) in a child process, a scratch PostgreSQL database.
 */
export async function startBenchEngine(options: {
  serverUrl: string;
  temporal: BenchTemporal;
  taskQueue: string;
  workerEnv?: Record<string, string>;
  captureAdmission?: CaptureAdmissionConfig;
}): Promise<BenchEngine> {
  const scratch = await createScratchDatabase(options.serverUrl, 'engine');
  const mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-bench-media-'));
  const workerEnv = {
    DATABASE_URL: scratch.url,
    TEMPORAL_ADDRESS: options.temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    MEDIA_ROOT: mediaRoot,
    ARCHIVE_ROOT: path.join(mediaRoot, 'archive'),
    EXPORTS_ROOT: path.join(mediaRoot, 'exports'),
    AUDIT_SIGNING_KEY_FILE: path.join(`${mediaRoot}-audit`, 'audit-signing-key.pem'),
    AUDIT_ANCHOR_DIR: path.join(`${mediaRoot}-audit`, 'anchors'),
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
    ...options.workerEnv,
  };
  let worker = await startWorkerChild('src/worker.ts', workerEnv);
  const { db } = scratch.handle;
  const app = createApp({
    db,
    temporal: { client: options.temporal.client, taskQueue: options.taskQueue },
    media: createMediaStore(mediaRoot),
    ...(options.captureAdmission ? { http: { corsOrigins: [], requestTimeoutMs: 30_000, captureAdmission: options.captureAdmission } } : {}),
  });
  const setup = { actor: { type: 'system' as const, id: 'bench', username: 'bench', fullName: 'Bench' }, correlationId: 'bench' };
  const user = await createUser(db, { username: 'bench-integration', fullName: 'Bench', roles: ['integration'], groupNames: [], supervisedGroups: [], timeZone: 'UTC' }, setup);
  const { token } = await issueApiToken(db, { userId: user.id, name: 'bench', expiresAt: expiryAfterDays(1) }, setup);
  const adminUser = await createUser(db, { username: 'bench-admin', fullName: 'Bench Admin', roles: ['admin'], groupNames: [], supervisedGroups: [], timeZone: 'UTC' }, setup);
  const { token: adminToken } = await issueApiToken(db, { userId: adminUser.id, name: 'bench', expiresAt: expiryAfterDays(1) }, setup);
  const call = async (method: string, route: string, bearer: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await app.request(route, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const engine: BenchEngine = {
    databaseName: new URL(scratch.url).pathname.slice(1),
    databaseUrl: scratch.url,
    db,
    get worker() {
      return worker;
    },
    taskQueue: options.taskQueue,
    async restartWorker() {
      worker = await startWorkerChild('src/worker.ts', workerEnv);
      return worker;
    },
    post: (body, headers) => call('POST', '/v1/contact-records', token, body, headers),
    asAdmin: (method, route, body) => call(method, route, adminToken, body),
    async close() {
      await worker.stop();
      await scratch.drop();
      fs.rmSync(mediaRoot, { recursive: true, force: true });
      fs.rmSync(`${mediaRoot}-audit`, { recursive: true, force: true });
    },
  };
  return engine;
}

/** A pool on the server's maintenance database, to read pg_stat_activity and the server version. */
export function adminPool(serverUrl: string): pg.Pool {
  return new pg.Pool({ connectionString: serverUrl, max: 2 });
}

/** A contact record as Amazon Connect delivers it, one leg of one call. */
export function contactRecord(index: number, attributes: Record<string, string> = { clientTier: 'professional' }, endedAt?: Date): Record<string, unknown> {
  const at = (endedAt ?? new Date(Date.now() - index * 1000)).toISOString();
  return {
    ContactId: crypto.randomUUID(),
    Channel: 'VOICE',
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: at,
    DisconnectTimestamp: at,
    LastUpdateTimestamp: at,
    InitialContactId: null,
    PreviousContactId: null,
    NextContactId: null,
    Agent: { Username: `agent-${index % 50}` },
    Queue: { Name: 'Trading Desk' },
    CustomerEndpoint: { Address: `+4412345${String(index % 100_000).padStart(5, '0')}`, Type: 'TELEPHONE_NUMBER' },
    SystemEndpoint: { Address: '+441110000000', Type: 'TELEPHONE_NUMBER' },
    Attributes: attributes,
    Recordings: [],
  };
}
