import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { count as sqlCount } from 'drizzle-orm';
import { createApp } from '../src/api/app.js';
import { conversations } from '../src/db/schema/index.js';
import { ensureTemporalCli } from '../src/devserver/temporal-cli.js';
import { startDevServer } from '../src/devserver/dev-server.js';
import { issueApiToken } from '../src/identity/api-tokens.js';
import { expiryAfterDays } from '../src/identity/user-input.js';
import { createUser } from '../src/identity/users.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import { freePort } from '../test/support/free-port.js';
import { createMediaStore } from '../src/media/media-store.js';
import { createLifecycleWorker } from '../src/temporal/worker.js';
import { count, ms, percentiles, type BenchRow } from './measure.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';

/** A contact record as Amazon Connect delivers it, one leg of one call. */
function contactRecord(index: number): Record<string, unknown> {
  const at = new Date(Date.now() - index * 1000).toISOString();
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
    Attributes: { clientTier: 'professional' },
    Recordings: [],
  };
}

/**
 * Contact records through the whole stack: the HTTP API (in process), a real Temporal dev server and
 * worker, and PostgreSQL. Each answer means the conversation's lifecycle has stored it and audited it.
 */
export async function captureBenchmark(options: { serverUrl: string; cacheDir: string; temporalCli: string | undefined; contacts: number; log: (line: string) => void }): Promise<BenchRow[]> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cliPath = await ensureTemporalCli({ explicitPath: options.temporalCli, cacheDir: options.cacheDir, log: options.log });
  const temporal = await startDevServer({ cliPath, port: await freePort(), uiPort: await freePort(), namespace: 'default', dbFile: undefined, log: options.log });
  const scratch = await createScratchDatabase(options.serverUrl, 'capture');
  const mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-bench-media-'));
  const media = createMediaStore(mediaRoot);
  const taskQueue = 'bench-capture';
  const { worker, connection: workerConnection } = await createLifecycleWorker({ address: temporal.address, namespace: 'default', taskQueue, deps: { db: scratch.handle.db, media } });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const { db } = scratch.handle;
    const app = createApp({ db, temporal: { client: new Client({ connection }), taskQueue }, media });
    const setup = { actor: { type: 'system' as const, id: 'bench', username: 'bench', fullName: 'Bench' }, correlationId: 'bench' };
    const user = await createUser(db, { username: 'bench-integration', fullName: 'Bench', roles: ['integration'], groupNames: [], supervisedGroups: [], timeZone: 'UTC' }, setup);
    const { token } = await issueApiToken(db, { userId: user.id, name: 'bench', expiresAt: expiryAfterDays(1) }, setup);
    const post = async (body: unknown) => {
      const started = performance.now();
      const response = await app.request('/v1/contact-records', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`capture answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    await mapWithConcurrency([...Array(20).keys()], 4, (i) => post(contactRecord(1_000_000 + i))); // warm-up

    const rows: BenchRow[] = [];
    const bench = 'capture (API + Temporal + PostgreSQL)';
    let delivered: Record<string, unknown>[] = [];
    for (const concurrency of [1, 32]) {
      const contacts = concurrency === 1 ? Math.min(100, options.contacts) : options.contacts;
      options.log(`capture: ${contacts} contact records, ${concurrency} in flight`);
      delivered = Array.from({ length: contacts }, (_, i) => contactRecord(concurrency * 1_000_000 + i));
      const started = performance.now();
      const latencies = await mapWithConcurrency(delivered, concurrency, (record) => post(record));
      const perHour = contacts / ((performance.now() - started) / 3_600_000);
      const { p50, p95 } = percentiles(latencies);
      rows.push({ benchmark: bench, measure: `${count(contacts)} records, ${concurrency} in flight`, value: `${count(perHour)} conversations/h`, note: `latency p50 ${ms(p50)}, p95 ${ms(p95)}` });
    }

    const replayStarted = performance.now();
    // At-least-once delivery: the same records again, which must change nothing.
    const replays = await mapWithConcurrency(delivered.slice(0, 100), 32, (record) => post(record));
    const [stored] = await db.select({ value: sqlCount() }).from(conversations);
    rows.push({
      benchmark: bench,
      measure: '100 duplicate deliveries, 32 in flight',
      value: `${count(100 / ((performance.now() - replayStarted) / 3_600_000))} records/h`,
      note: `latency p95 ${ms(percentiles(replays).p95)}; ${count(stored?.value ?? 0)} conversations stored for ${count(20 + Math.min(100, options.contacts) + options.contacts)} distinct records`,
    });
    return rows;
  } finally {
    await connection.close();
    worker.shutdown();
    await running;
    await workerConnection.close();
    await scratch.drop();
    await temporal.stop();
    fs.rmSync(mediaRoot, { recursive: true, force: true });
  }
}
