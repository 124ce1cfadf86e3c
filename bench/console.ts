import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import type pg from 'pg';
import { createApp } from '../src/api/app.js';
import { parseConfig } from '../src/config.js';
import { createMediaStore } from '../src/media/media-store.js';
import { createIdentity } from '../test/support/identities.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { seed as seedAuditLog } from './audit-search.js';
import { startBenchTemporal } from './engine.js';
import { seedConversations } from './exports.js';
import { count, latency, ms, printTable, type BenchRow } from './measure.js';

/** The issue's goal: every console page answers within this at a million conversations and ten million audit entries. */
const PAGE_GOAL_MS = 300;
const ITERATIONS = 30;

/** Signs in through the console's own form, as a browser does: the sign-in cookie and field, then the session cookie. */
async function signIn(baseUrl: string, token: string): Promise<string> {
  const form = await fetch(`${baseUrl}/console/sign-in`);
  const signInCookie = /rk_console_signin=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
  const field = /name="_signin" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!signInCookie || !field) throw new Error('the sign-in page gave no form token');
  const answer = await fetch(`${baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `rk_console_signin=${signInCookie}` },
    body: new URLSearchParams({ _signin: field, next: '/console/', token }),
  });
  const session = /rk_console=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
  if (answer.status !== 303 || !session) throw new Error(`sign-in failed: ${answer.status}`);
  return `rk_console=${session}`;
}

/**
 * Console pages over a database of `conversations` conversations and `auditEntries` audit entries (seeded with
 * INSERT … SELECT), served by the real app over HTTP, signed in as a compliance analyst: p50/p95 of each page.
 * The pages' Temporal reads (the timeline's workflow history) go to a dev server of the bench's own.
 */
export async function consoleBenchmark(options: {
  serverUrl: string;
  cacheDir: string;
  temporalCli: string | undefined;
  conversations: number;
  auditEntries: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const scratch = await createScratchDatabase(options.serverUrl, 'console');
  const mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-bench-console-'));
  const bench = `console, ${count(options.conversations)} conversations, ${count(options.auditEntries)} audit entries`;
  const rows: BenchRow[] = [];
  // The timeline reads the lifecycle's history from Temporal: a real dev server answers (the seeded conversations have none).
  const temporal = await startBenchTemporal({ cacheDir: options.cacheDir, temporalCli: options.temporalCli, log: options.log });
  const app = createApp({ db: scratch.handle.db, temporal: { client: temporal.client, taskQueue: 'bench-console' }, media: createMediaStore(mediaRoot) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const pool = (scratch.handle as { pool: pg.Pool }).pool;
    const seeded = performance.now();
    await seedConversations(pool, options.conversations);
    options.log(`console: ${count(options.conversations)} conversations seeded`);
    await seedAuditLog(pool, options.auditEntries, options.log);
    rows.push({ benchmark: bench, measure: 'seed', value: `${((performance.now() - seeded) / 1000).toFixed(1)} s` });

    const analyst = await createIdentity(scratch.handle.db, ['compliance-analyst', 'auditor'], { timeZone: 'Europe/Prague' });
    const cookie = await signIn(baseUrl, analyst.token);
    // The seeded ids are md5 digests, not RFC 4122 uuids, which the API refuses: one conversation with a real id to open.
    const conversationId = randomUUID();
    await pool.query(
      `insert into conversations (id, source, external_key, channel, started_at, ended_at, agent_username, queue_name, customer_address, workflow_id)
       select $1::uuid, source, 'bench-opened', channel, started_at, ended_at, agent_username, queue_name, customer_address, 'bench-opened'
       from conversations order by started_at desc limit 1`,
      [conversationId],
    );
    const firstPage = await fetch(`${baseUrl}/console/audit`, { headers: { cookie } }).then((response) => response.text());
    const nextPage = /href="(\/console\/audit\?[^"]*cursor=[^"]+)"/.exec(firstPage)?.[1]?.replaceAll('&amp;', '&');

    const pages: [string, string | undefined][] = [
      ['audit log, default 10 days', '/console/audit'],
      ['audit log, user + activity, past year', `/console/audit?from=${new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 16)}&user=user17&activity=AUDIT_SEARCH`],
      ['audit log, result UNAUTHORIZED', '/console/audit?result=UNAUTHORIZED'],
      ['audit log, next page (keyset)', nextPage],
      ['conversation explorer, newest', '/console/conversations'],
      ['conversation explorer, agent', '/console/conversations?agent=agent-17'],
      ['conversation page', `/console/conversations/${conversationId}`],
      ['lifecycle timeline', `/console/conversations/${conversationId}/timeline`],
      ['retention', '/console/retention'],
    ];
    for (const [label, url] of pages) {
      if (!url) continue;
      const status = (await fetch(`${baseUrl}${url}`, { headers: { cookie } })).status;
      const timing = await latency(ITERATIONS, async () => {
        const response = await fetch(`${baseUrl}${url}`, { headers: { cookie } });
        await response.arrayBuffer();
      });
      const within = timing.p95 <= PAGE_GOAL_MS;
      rows.push({
        benchmark: bench,
        measure: `${label} p50 / p95`,
        value: `${ms(timing.p50)} / ${ms(timing.p95)}`,
        note: `${status === 200 ? '' : `HTTP ${status}; `}${within ? `within the ${PAGE_GOAL_MS} ms goal` : `OVER the ${PAGE_GOAL_MS} ms goal`}`,
        data: { page: label, url, status, ...timing, goalMs: PAGE_GOAL_MS },
      });
      options.log(`console: ${label}: p95 ${ms(timing.p95)}`);
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await temporal.close();
    await scratch.drop();
    fs.rmSync(mediaRoot, { recursive: true, force: true });
  }
  return rows;
}

// `npx tsx bench/console.ts [conversations] [auditEntries]` runs it on its own; bench/run.ts runs it with the others.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const config = parseConfig(process.env);
  const conversations = Number(process.argv[2] ?? 1_000_000);
  const auditEntries = Number(process.argv[3] ?? 10_000_000);
  printTable(
    await consoleBenchmark({
      serverUrl: config.testPostgresUrl,
      cacheDir: config.tools.cacheDir,
      temporalCli: config.tools.temporalCli,
      conversations,
      auditEntries,
      log: (line) => process.stderr.write(`[bench] ${line}\n`),
    }),
  );
}
