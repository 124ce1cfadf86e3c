import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import type { ApiDeps } from '../../src/api/deps.js';
import type { Role } from '../../src/domain/roles.js';
import { openPglite, openPostgres, type DatabaseHandle } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createMediaStore, type MediaStore } from '../../src/media/media-store.js';
import { createIdentity, type Identity, type IdentityOptions } from './identities.js';

export interface HttpAnswer {
  status: number;
  body: any;
  headers: Headers;
}

export type HttpCall = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpAnswer>;

export interface Harness {
  /** Where this harness's archive tasks write. */
  archiveRoot: string;
  /** This harness's own media store (a temporary folder), shared by its API and worker. */
  media: MediaStore;
  db: DatabaseHandle['db'];
  client: Client;
  taskQueue: string;
  baseUrl: string;
  /** Calls the API as an admin (the harness's own token) unless `headers.authorization` says otherwise. */
  http: HttpCall;
  /** Calls the API with this bearer token, or with no Authorization header at all (null). */
  as(token: string | null): { http: HttpCall };
  /** A token of a new user with these roles (and groups); see IdentityOptions for expired and revoked ones. */
  tokenFor(roles: Role | readonly Role[], options?: IdentityOptions): Promise<string>;
  /** The same, with the new user's id and username. */
  identityFor(roles: Role | readonly Role[], options?: IdentityOptions): Promise<Identity>;
  admin: Identity;
  /** Stops the worker (e.g. to simulate a crash) and returns a function that starts a new one. */
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

let databasePromise: Promise<DatabaseHandle> | undefined;
let runtimeInstalled = false;

function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** One database handle per test file (fork); PGlite when the run has no PostgreSQL server. */
function sharedDatabase(): Promise<DatabaseHandle> {
  databasePromise ??= (async () => {
    const url = inject('databaseUrl');
    if (url) return openPostgres(url, 10);
    const handle = await openPglite(undefined);
    await applyMigrations(handle);
    return handle;
  })();
  return databasePromise;
}

export async function createHarness(
  options: {
    activityDeps?: Partial<ActivityDeps>;
    apiDeps?: Partial<Pick<ApiDeps, 'oidc' | 'http' | 'logger' | 'console'>>;
    /** A database of the test's own (a scratch database) instead of the file's shared one; the caller closes it. */
    database?: DatabaseHandle;
    /** A media store of the test's own (e.g. an S3 bucket with Object Lock) for the API and the worker; the caller disposes of it. */
    media?: MediaStore;
  } = {},
): Promise<Harness> {
  installQuietRuntime();
  const database = options.database ?? (await sharedDatabase());
  const address = inject('temporalAddress');
  // Each harness gets its own task queue so test files never run each other's workflows.
  const taskQueue = `test-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const workflowBundle = { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') };
  // Each harness archives into its own folder, removed with the harness.
  const archiveRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-archive-'));
  const media = options.media ?? createMediaStore(fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-media-')));

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  const startWorker = async () => {
    workerConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: workerConnection,
      taskQueue,
      workflowBundle,
      activities: createActivities({ db: database.db, media, archiveRoot, ...options.activityDeps }),
    });
    workerRun = worker.run();
  };
  const stopWorker = async () => {
    if (worker && worker.getState() === 'RUNNING') worker.shutdown();
    await workerRun;
    await workerConnection?.close();
    worker = undefined;
  };
  await startWorker();

  const app = createApp({
    db: database.db,
    temporal: { client, taskQueue },
    media,
    probes: { postgres: async () => void (await database.db.execute(sql`select 1`)) },
    archiveRoot,
    // Every test request comes from 127.0.0.1, and tests count refusals one by one: the limiter has its own test.
    http: { corsOrigins: [], requestTimeoutMs: 30_000, refusalLimit: { auditedPerWindow: 1_000_000, windowMs: 60_000 } },
    ...options.apiDeps,
  });
  const admin = await createIdentity(database.db, 'admin');
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db: database.db,
    client,
    taskQueue,
    baseUrl,
    archiveRoot,
    media,
    admin,
    http: httpCall(baseUrl, admin.token),
    as: (token) => ({ http: httpCall(baseUrl, token) }),
    tokenFor: async (roles, identityOptions) => (await createIdentity(database.db, roles, identityOptions)).token,
    identityFor: (roles, identityOptions) => createIdentity(database.db, roles, identityOptions),
    stopWorker,
    startWorker,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopWorker();
      await connection.close();
      if (!options.media) fs.rmSync(media.root, { recursive: true, force: true });
    },
  };
}

/** The real app on a harness's database and Temporal, with other options, to call in-process (`app.request`). */
export function appOnHarness(harness: Harness, extra: Partial<ApiDeps> = {}) {
  return createApp({ db: harness.db, temporal: { client: harness.client, taskQueue: harness.taskQueue }, media: harness.media, ...extra });
}

/** Calls a served app with a bearer token (or none), parsing JSON answers. */
export function httpCall(baseUrl: string, token: string | null): HttpCall {
  return async (method, path, body, headers = {}) => {
    const explicit = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token === null || explicit ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
}
