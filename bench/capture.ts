import { WithStartWorkflowOperation } from '@temporalio/client';
import { count as sqlCount } from 'drizzle-orm';
import { conversations } from '../src/db/schema/index.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import { createScratchDatabase } from '../test/support/scratch-database.js';
import { BASELINE_WORKFLOW, storeBaselineRecordUpdate } from './baseline/contract.js';
import { adminPool, contactRecord, DEV_SERVER_FLAGS, startBenchEngine, startBenchTemporal } from './engine.js';
import { count, ms, percentiles, type BenchRow } from './measure.js';
import { backendsCpuBetween, cpuSecondsOf, machine, packageVersion, postgresBackendsCpu, startWorkerChild } from './processes.js';

interface PhaseResult {
  items: number;
  /** Answers 503 (back-pressure) the feed waited out and retried; latencies include the retries. */
  answered503: number;
  concurrency: number;
  perHour: number;
  p50: number;
  p95: number;
  /** CPU milliseconds per item, by process. */
  cpuPerItem: { bench: number; worker: number; temporal: number; postgres: number; total: number };
}

const ratio = (engine: number, baseline: number) => (engine / baseline).toFixed(2);

/**
 * Contact records through the whole stack (the HTTP API in process, the production worker in its own
 * process, a real Temporal dev server, PostgreSQL), alternating with a bare Temporal baseline on the same
 * dev server: the same update-with-start, one activity doing one INSERT, then a wait. The ratios say how
 * close capture comes to Temporal's own limit on this machine.
 */
export async function captureBenchmark(options: {
  serverUrl: string;
  cacheDir: string;
  temporalCli: string | undefined;
  contacts: number;
  repeats: number;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const temporal = await startBenchTemporal(options);
  const admin = adminPool(options.serverUrl);
  const engine = await startBenchEngine({ serverUrl: options.serverUrl, temporal, taskQueue: 'bench-capture' });
  const baselineDb = await createScratchDatabase(options.serverUrl, 'baseline', 2);
  const baselineQueue = 'bench-baseline';
  const baselineWorker = await startWorkerChild('bench/baseline/worker.ts', { DATABASE_URL: baselineDb.url, TEMPORAL_ADDRESS: temporal.address, TASK_QUEUE: baselineQueue });
  try {
    const [{ server_version: postgresVersion } = { server_version: '?' }] = (await admin.query<{ server_version: string }>('show server_version')).rows;
    const host = machine();
    const context = `${host.cores} cores, ${host.memory}; Temporal CLI ${temporal.version}, SDK ${packageVersion('@temporalio/worker')}, PostgreSQL ${postgresVersion}, Node ${host.node}`;
    options.log(`capture vs baseline on ${context}; dev server ${DEV_SERVER_FLAGS}`);
    let runId = 0;

    // A feed that honours back-pressure: on 503 it waits Retry-After and sends the same record again.
    let answered503 = 0;
    const deliver = async (record: Record<string, unknown>) => {
      for (;;) {
        const response = await engine.post(record);
        if (response.status === 200) return response.body.results[0].status as string;
        if (response.status !== 503) throw new Error(`capture answered ${response.status}: ${JSON.stringify(response.body)}`);
        answered503 += 1;
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? '1') * 1000));
      }
    };
    const capture = (index: number) => deliver(contactRecord(index));
    const baseline = async (index: number) => {
      const key = `baseline-${runId}-${index}`;
      await temporal.client.workflow.executeUpdateWithStart(storeBaselineRecordUpdate, {
        args: [{ key, record: contactRecord(index) }],
        startWorkflowOperation: new WithStartWorkflowOperation(BASELINE_WORKFLOW, {
          workflowId: key,
          taskQueue: baselineQueue,
          args: [],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      });
    };
    const phase = async (kind: 'capture' | 'baseline', items: number, concurrency: number): Promise<PhaseResult> => {
      runId += 1;
      const run = kind === 'capture' ? capture : baseline;
      const workerPid = kind === 'capture' ? engine.worker.pid : baselineWorker.pid;
      const database = kind === 'capture' ? engine.databaseName : new URL(baselineDb.url).pathname.slice(1);
      const offset = runId * 1_000_000;
      const refusedBefore = answered503;
      const cpu = { bench: process.cpuUsage(), worker: cpuSecondsOf(workerPid), temporal: temporal.pid ? cpuSecondsOf(temporal.pid) : 0, postgres: await postgresBackendsCpu(admin, database) };
      const started = performance.now();
      const latencies = await mapWithConcurrency([...Array(items).keys()], concurrency, async (i) => {
        const at = performance.now();
        await run(offset + i);
        return performance.now() - at;
      });
      const elapsed = performance.now() - started;
      const benchCpu = process.cpuUsage(cpu.bench);
      const used = {
        bench: (benchCpu.user + benchCpu.system) / 1e6,
        worker: cpuSecondsOf(workerPid) - cpu.worker,
        temporal: temporal.pid ? cpuSecondsOf(temporal.pid) - cpu.temporal : Number.NaN,
        postgres: backendsCpuBetween(cpu.postgres, await postgresBackendsCpu(admin, database)),
      };
      const perItem = (seconds: number) => (seconds * 1000) / items;
      const { p50, p95 } = percentiles(latencies);
      return {
        items,
        concurrency,
        perHour: items / (elapsed / 3_600_000),
        answered503: answered503 - refusedBefore,
        p50,
        p95,
        cpuPerItem: {
          bench: perItem(used.bench),
          worker: perItem(used.worker),
          temporal: perItem(used.temporal),
          postgres: perItem(used.postgres),
          total: perItem(used.bench + used.worker + used.temporal + used.postgres),
        },
      };
    };

    options.log('warm-up: 20 captures and 20 baseline workflows');
    await phase('capture', 20, 4);
    await phase('baseline', 20, 4);

    const rows: BenchRow[] = [];
    const cpuNote = (result: PhaseResult, process: string) =>
      `CPU/item ${ms(result.cpuPerItem.total)} (${process} ${ms(result.cpuPerItem.bench)}, worker ${ms(result.cpuPerItem.worker)}, Temporal ${ms(result.cpuPerItem.temporal)}, PostgreSQL ${ms(result.cpuPerItem.postgres)})`;
    for (let repeat = 1; repeat <= options.repeats; repeat += 1) {
      for (const concurrency of [1, 32]) {
        const items = concurrency === 1 ? Math.min(100, options.contacts) : options.contacts;
        options.log(`repeat ${repeat}: ${items} captures, ${concurrency} in flight`);
        const engineResult = await phase('capture', items, concurrency);
        options.log(`repeat ${repeat}: ${items} baseline workflows, ${concurrency} in flight`);
        const baselineResult = await phase('baseline', items, concurrency);
        const measure = `run ${repeat}: ${count(items)} starts, ${concurrency} in flight`;
        const load = `load ${machine().load}`;
        rows.push(
          {
            benchmark: 'capture (API + worker + Temporal + PostgreSQL)',
            measure,
            value: `${count(engineResult.perHour)} conversations/h`,
            note: `p50 ${ms(engineResult.p50)}, p95 ${ms(engineResult.p95)}; ${engineResult.answered503} answers 503 retried; ${cpuNote(engineResult, 'API+client')}; ${context}; ${load}`,
            data: { kind: 'capture', repeat, ...engineResult },
          },
          {
            benchmark: 'baseline (bare Temporal: update-with-start, 1 INSERT activity, wait)',
            measure,
            value: `${count(baselineResult.perHour)} workflows/h`,
            note: `p50 ${ms(baselineResult.p50)}, p95 ${ms(baselineResult.p95)}; ${cpuNote(baselineResult, 'client')}; same dev server`,
            data: { kind: 'baseline', repeat, ...baselineResult },
          },
          {
            benchmark: 'capture / baseline',
            measure,
            value: `${ratio(engineResult.perHour, baselineResult.perHour)} of throughput`,
            note: `p50 ${ratio(engineResult.p50, baselineResult.p50)}x, p95 ${ratio(engineResult.p95, baselineResult.p95)}x, CPU/item ${ratio(engineResult.cpuPerItem.total, baselineResult.cpuPerItem.total)}x (worker alone ${ratio(engineResult.cpuPerItem.worker, baselineResult.cpuPerItem.worker)}x)`,
            data: {
              kind: 'ratio',
              repeat,
              concurrency,
              throughput: engineResult.perHour / baselineResult.perHour,
              p50: engineResult.p50 / baselineResult.p50,
              p95: engineResult.p95 / baselineResult.p95,
              cpuPerItem: engineResult.cpuPerItem.total / baselineResult.cpuPerItem.total,
            },
          },
        );
      }
    }

    // The figures so far, in case what follows fails.
    for (const row of rows) options.log(`${row.benchmark} | ${row.measure} | ${row.value} | ${row.note ?? ''}`);

    // At-least-once delivery: records delivered again must change nothing.
    const replayed = Array.from({ length: 100 }, (_, i) => contactRecord(9_000_000 + i));
    await mapWithConcurrency(replayed, 32, (record) => deliver(record));
    const replayStarted = performance.now();
    const duplicatesBefore = answered503;
    const replays = await mapWithConcurrency(replayed, 32, async (record) => {
      const at = performance.now();
      const status = await deliver(record);
      if (status !== 'duplicate') throw new Error(`a duplicate delivery answered ${status}`);
      return performance.now() - at;
    });
    const [stored] = await engine.db.select({ value: sqlCount() }).from(conversations);
    const distinct = 20 + options.repeats * (Math.min(100, options.contacts) + options.contacts) + 100;
    rows.push({
      benchmark: 'capture (API + worker + Temporal + PostgreSQL)',
      measure: '100 duplicate deliveries, 32 in flight',
      value: `${count(100 / ((performance.now() - replayStarted) / 3_600_000))} records/h`,
      note: `latency p95 ${ms(percentiles(replays).p95)}; ${answered503 - duplicatesBefore} answers 503 retried; ${count(stored?.value ?? 0)} conversations stored for ${count(distinct)} distinct records (${answered503} answers 503 in the whole run)`,
      data: { kind: 'duplicates', stored: stored?.value ?? 0, distinct },
    });
    return rows;
  } finally {
    await baselineWorker.stop();
    await engine.close();
    await baselineDb.drop();
    await admin.end();
    await temporal.close();
  }
}
