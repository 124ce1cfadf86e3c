/**
 * The API under load: N concurrent clients for a while, each looping over capture (contact records), the
 * Conversation Explorer's search and audit-log reads, over real HTTP against the real app, the production
 * worker in its own process, a Temporal dev server and PostgreSQL.
 *
 *   npm run test:load                                  # 200 clients, 10 minutes
 *   npm run test:load -- --clients 50 --seconds 45     # a short run
 *
 * Fails (exit 1) on any 5xx other than 503 with Retry-After, on any request still unanswered after 30 s,
 * or when an accepted contact record is not stored exactly once (rows and CONVERSATION_CAPTURED entries).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { and, count, eq, inArray } from 'drizzle-orm';
import { createApp } from '../src/api/app.js';
import { parseConfig } from '../src/config.js';
import { auditLog, contactRecords } from '../src/db/schema/index.js';
import { issueApiToken } from '../src/identity/api-tokens.js';
import { expiryAfterDays } from '../src/identity/user-input.js';
import { createUser } from '../src/identity/users.js';
import type { Role } from '../src/domain/roles.js';
import { createMediaStore } from '../src/media/media-store.js';
import { contactRecord, startBenchEngine, startBenchTemporal } from './engine.js';
import { machine } from './processes.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '600' },
  },
});
const CLIENTS = Number(args.clients);
const DURATION_MS = Number(args.seconds) * 1000;
/** The API answers 504 after 30 s (REQUEST_TIMEOUT_MS); a client that waits longer has seen a hung request. */
const CLIENT_TIMEOUT_MS = 30_000;
const OVERDUE_MS = CLIENT_TIMEOUT_MS + 5_000;

type Kind = 'capture' | 'search' | 'audit';
interface Sample {
  kind: Kind;
  status: number;
  ms: number;
  retryAfter: string | null;
}

const config = parseConfig(process.env);
const log = (line: string) => process.stdout.write(`${line}\n`);
/** The dev server warns of every slow call under this load: counted, not printed. */
let slowTemporalCalls = 0;
const temporalLog = (line: string) => (line.includes('Slow gRPC call') ? void (slowTemporalCalls += 1) : log(line));

const temporal = await startBenchTemporal({ cacheDir: config.tools.cacheDir, temporalCli: config.tools.temporalCli, log: temporalLog });
const engine = await startBenchEngine({ serverUrl: config.testPostgresUrl, temporal, taskQueue: 'load' });
const mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-load-media-'));
const app = createApp({ db: engine.db, temporal: { client: temporal.client, taskQueue: engine.taskQueue }, media: createMediaStore(mediaRoot) });
/** How long the app itself took per request, to tell time spent in the app from time spent before it. */
const appMs: number[] = [];
const timedFetch = async (request: Request, env: unknown) => {
  const started = performance.now();
  try {
    return await app.fetch(request, env);
  } finally {
    appMs.push(performance.now() - started);
  }
};
const server: ServerType = await new Promise((resolve) => {
  const started = serve({ fetch: timedFetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
});
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const setup = { actor: { type: 'system' as const, id: 'load', username: 'load', fullName: 'Load test' }, correlationId: 'load' };
async function tokenFor(role: Role): Promise<string> {
  const user = await createUser(engine.db, { username: `load-${role}`, fullName: `Load ${role}`, roles: [role], groupNames: [], supervisedGroups: [], timeZone: 'UTC' }, setup);
  return (await issueApiToken(engine.db, { userId: user.id, name: 'load', expiresAt: expiryAfterDays(1) }, setup)).token;
}
const tokens: Record<Kind, string> = { capture: await tokenFor('integration'), search: await tokenFor('compliance-analyst'), audit: await tokenFor('auditor') };

const samples: Sample[] = [];
const overdue: string[] = [];
const serverErrors: string[] = [];
/** ContactIds the API answered "created" or "duplicate" for: each must be stored exactly once. */
const accepted = new Set<string>();
let sent = 0;

async function request(kind: Kind, method: string, route: string, body?: unknown): Promise<{ status: number; retryAfter: string | null; json: any }> {
  const started = performance.now();
  const controller = new AbortController();
  const overdueTimer = setTimeout(() => controller.abort(), OVERDUE_MS);
  sent += 1;
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${tokens[kind]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    const ms = performance.now() - started;
    const retryAfter = response.headers.get('retry-after');
    samples.push({ kind, status: response.status, ms, retryAfter });
    if (ms > CLIENT_TIMEOUT_MS) overdue.push(`${method} ${route}: ${Math.round(ms)} ms, ${response.status}`);
    if (response.status >= 500 && !(response.status === 503 && retryAfter)) serverErrors.push(`${method} ${route}: ${response.status} ${text.slice(0, 300)}`);
    return { status: response.status, retryAfter, json: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined };
  } catch (error) {
    overdue.push(`${method} ${route}: no answer after ${Math.round(performance.now() - started)} ms (${(error as Error).name})`);
    return { status: 0, retryAfter: null, json: undefined };
  } finally {
    clearTimeout(overdueTimer);
  }
}

const since = new Date().toISOString();
let index = 0;
async function client(id: number, until: number): Promise<void> {
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.5) {
      const record = contactRecord((index += 1));
      const answer = await request('capture', 'POST', '/v1/contact-records', record);
      const status = answer.json?.results?.[0]?.status;
      if (answer.status === 200 && (status === 'created' || status === 'duplicate')) accepted.add(record.ContactId as string);
      // A feed that honours back-pressure waits as told before it sends again.
      if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, Math.min(5, Number(answer.retryAfter ?? 1)) * 1000));
    } else if (roll < 0.8) {
      await request('search', 'GET', `/v1/conversations?agent=agent-${id % 50}&limit=20`);
    } else {
      await request('audit', 'GET', `/v1/audit?from=${encodeURIComponent(since)}&activity=CONVERSATION_CAPTURED&limit=50`);
    }
  }
}

const percentile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

let failed = false;
try {
  log(`load: ${CLIENTS} clients for ${DURATION_MS / 1000} s against ${baseUrl} on ${JSON.stringify(machine())}`);
  // Clients and API share this process: a late timer here delays the API's own timeouts as much as the clients'.
  const eventLoopDelay = monitorEventLoopDelay({ resolution: 20 });
  eventLoopDelay.enable();
  const startedAt = Date.now();
  const progress = setInterval(() => log(`  ${Math.round((Date.now() - startedAt) / 1000)} s: ${sent} requests, ${accepted.size} captures accepted, ${serverErrors.length} 5xx, ${overdue.length} overdue`), 30_000);
  await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id, startedAt + DURATION_MS)));
  clearInterval(progress);
  eventLoopDelay.disable();
  const elapsedS = (Date.now() - startedAt) / 1000;
  // Work the API goes on with after answering (a capture past its deadline) ends before the databases close.
  await new Promise((resolve) => setTimeout(resolve, 40_000));

  // Every accepted capture is stored once, with one capture entry in the audit history: no half-done write.
  const ids = [...accepted];
  const badlyStored: string[] = [];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const stored = await engine.db
      .select({ contactId: contactRecords.contactId, conversationId: contactRecords.conversationId })
      .from(contactRecords)
      .where(inArray(contactRecords.contactId, chunk));
    const captures = await engine.db
      .select({ conversationId: auditLog.conversationId, entries: count() })
      .from(auditLog)
      .where(and(eq(auditLog.activity, 'CONVERSATION_CAPTURED'), inArray(auditLog.conversationId, stored.map((row) => row.conversationId))))
      .groupBy(auditLog.conversationId);
    const capturedEntries = new Map(captures.map((row) => [row.conversationId, row.entries]));
    for (const id of chunk) {
      const rows = stored.filter((row) => row.contactId === id);
      const entries = rows.length === 1 ? (capturedEntries.get(rows[0]!.conversationId) ?? 0) : 0;
      if (rows.length !== 1 || entries !== 1) badlyStored.push(`${id}: ${rows.length} rows, ${entries} capture entries`);
    }
  }

  log('');
  log(`| kind | requests | p50 ms | p95 ms | p99 ms | max ms | 503 | other 5xx | 4xx |`);
  log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const kind of ['capture', 'search', 'audit', 'all'] as const) {
    const of = samples.filter((sample) => kind === 'all' || sample.kind === kind);
    const times = of.map((sample) => sample.ms);
    const cell = (q: number) => percentile(times, q).toFixed(0);
    const status = (test: (code: number) => boolean) => of.filter((sample) => test(sample.status)).length;
    log(`| ${kind} | ${of.length} | ${cell(0.5)} | ${cell(0.95)} | ${cell(0.99)} | ${Math.max(...times).toFixed(0)} | ${status((code) => code === 503)} | ${status((code) => code >= 500 && code !== 503)} | ${status((code) => code >= 400 && code < 500)} |`);
  }
  log(`the Temporal dev server warned of ${slowTemporalCalls} slow calls`);
  log(`time inside the app: ${appMs.length} requests, p50 ${percentile(appMs, 0.5).toFixed(0)} ms, p99 ${percentile(appMs, 0.99).toFixed(0)} ms, max ${Math.max(...appMs).toFixed(0)} ms, ${appMs.filter((ms) => ms > CLIENT_TIMEOUT_MS).length} over 30 s`);
  log(`event loop delay of this process (API and clients): p50 ${(eventLoopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(eventLoopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(eventLoopDelay.max / 1e6).toFixed(0)} ms`);
  log(`${samples.length} answers in ${elapsedS.toFixed(0)} s (${(samples.length / elapsedS).toFixed(1)}/s); ${accepted.size} captures accepted, checked stored once`);
  const problems = [
    ...serverErrors.slice(0, 20).map((line) => `5xx: ${line}`),
    ...overdue.slice(0, 20).map((line) => `overdue: ${line}`),
    ...badlyStored.slice(0, 20).map((line) => `not stored once: ${line}`),
  ];
  const unexpected4xx = samples.filter((sample) => sample.status >= 400 && sample.status < 500).length;
  if (unexpected4xx > 0) problems.push(`${unexpected4xx} answers 4xx: the load's requests are all valid`);
  if (samples.some((sample) => sample.status === 503 && !sample.retryAfter)) problems.push('a 503 without Retry-After');
  failed = problems.length > 0 || serverErrors.length > 0 || overdue.length > 0 || badlyStored.length > 0;
  log(failed ? `FAILED:\n${problems.join('\n')}\n(${serverErrors.length} 5xx, ${overdue.length} overdue, ${badlyStored.length} not stored once in all)` : 'OK: no 5xx but 503 with Retry-After, nothing over 30 s, every accepted capture stored exactly once');
} finally {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await engine.close();
  await temporal.close();
  fs.rmSync(mediaRoot, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
