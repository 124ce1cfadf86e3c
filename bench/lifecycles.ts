import { WORKER_DEFAULTS } from '../src/config.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import { contactRecord, startBenchEngine, startBenchTemporal } from './engine.js';
import { count, ms, percentiles, type BenchRow } from './measure.js';
import { machine, rssBytesOf } from './processes.js';

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const BATCH = 50;

/**
 * Worker memory with many open lifecycles, each idle on its retention timer: RSS of the production worker
 * process as lifecycles open, then the cost of an update (a duplicate delivery) on a lifecycle still in the
 * worker's cache against one evicted from it, whose history the worker must replay first.
 */
export async function lifecyclesBenchmark(options: {
  serverUrl: string;
  cacheDir: string;
  temporalCli: string | undefined;
  lifecycles: number;
  maxCachedWorkflows: number | undefined;
  /** V8 old-space limit of the worker process (NODE_OPTIONS=--max-old-space-size), MiB; unset: Node's default. */
  workerHeapMiB: number | undefined;
  log: (line: string) => void;
}): Promise<BenchRow[]> {
  const cached = options.maxCachedWorkflows ?? WORKER_DEFAULTS.maxCachedWorkflows;
  const temporal = await startBenchTemporal(options);
  const engine = await startBenchEngine({ serverUrl: options.serverUrl, temporal, taskQueue: 'bench-lifecycles', workerEnv: {
      WORKER_MAX_CACHED_WORKFLOWS: String(cached),
      ...(options.workerHeapMiB ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${options.workerHeapMiB}`.trim() } : {}),
    },
  });
  try {
    const startRss = rssBytesOf(engine.worker.pid);
    const records = Array.from({ length: options.lifecycles }, (_, i) => contactRecord(i));
    const batches = Array.from({ length: Math.ceil(records.length / BATCH) }, (_, i) => records.slice(i * BATCH, (i + 1) * BATCH));
    const samples: { open: number; rss: number; seconds: number }[] = [];
    let open = 0;
    let nextSample = Math.min(1000, options.lifecycles);
    const started = performance.now();
    // Batches of 50, two requests at a time: 32 records in flight as in the capture benchmark.
    await mapWithConcurrency(batches, 2, async (batch) => {
      for (;;) {
        const answer = await engine.post(batch);
        if (answer.status === 200) break;
        if (answer.status !== 503) throw new Error(`capture answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after') ?? '1') * 1000));
      }
      open += batch.length;
      if (open >= nextSample) {
        samples.push({ open, rss: rssBytesOf(engine.worker.pid), seconds: (performance.now() - started) / 1000 });
        options.log(`lifecycles: ${count(open)} open, worker RSS ${mib(samples.at(-1)!.rss)}, ${samples.at(-1)!.seconds.toFixed(0)} s`);
        nextSample += Math.max(1000, Math.floor(options.lifecycles / 10));
      }
    });
    const openSeconds = (performance.now() - started) / 1000;
    // Idle: every lifecycle waits on its retention timer; let the worker settle before the final reading.
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idleRss = rssBytesOf(engine.worker.pid);

    // A duplicate delivery is an update the lifecycle must run. The newest lifecycles are still cached; the
    // oldest were evicted long ago (when more than the cache size are open) and are replayed first.
    const sample = Math.min(50, Math.floor(cached / 2), Math.floor(options.lifecycles / 4));
    const deliver = async (record: Record<string, unknown>) => {
      const at = performance.now();
      const answer = await engine.post(record);
      if (answer.status !== 200 || answer.body.results[0].status !== 'duplicate') throw new Error(`duplicate answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return performance.now() - at;
    };
    const cachedLatencies: number[] = [];
    for (const record of records.slice(-sample)) cachedLatencies.push(await deliver(record));
    const evictedLatencies: number[] = [];
    for (const record of records.slice(0, sample)) evictedLatencies.push(await deliver(record));
    const cachedP = percentiles(cachedLatencies);
    const evictedP = percentiles(evictedLatencies);
    const finalRss = rssBytesOf(engine.worker.pid);
    const perLifecycle = (idleRss - startRss) / options.lifecycles;
    const load = machine().load;

    return [
      {
        benchmark: 'worker memory (idle lifecycles)',
        measure: `${count(options.lifecycles)} open, maxCachedWorkflows ${count(cached)}${options.workerHeapMiB ? `, --max-old-space-size=${options.workerHeapMiB}` : ''}`,
        value: `worker RSS ${mib(idleRss)}`,
        note: `at start ${mib(startRss)}; ${samples.map((s) => `${count(s.open)}: ${mib(s.rss)}`).join(', ')}; ${(perLifecycle / 1024).toFixed(1)} KiB per open lifecycle; opened in ${openSeconds.toFixed(0)} s (${count(options.lifecycles / (openSeconds / 3600))}/h); load ${load}`,
        data: { kind: 'memory', lifecycles: options.lifecycles, maxCachedWorkflows: cached, workerHeapMiB: options.workerHeapMiB ?? null, startRss, idleRss, finalRss, samples, openSeconds },
      },
      {
        benchmark: 'worker memory (idle lifecycles)',
        measure: `update on an evicted vs a cached lifecycle, ${sample} each, sequential`,
        value: `evicted p95 ${ms(evictedP.p95)} = ${(evictedP.p95 / cachedP.p95).toFixed(2)}x cached p95`,
        note: `cached p50 ${ms(cachedP.p50)}, p95 ${ms(cachedP.p95)}; evicted p50 ${ms(evictedP.p50)}, p95 ${ms(evictedP.p95)}; histories of one capture (no tags, holds or continue-as-new yet)`,
        data: { kind: 'eviction', sample, cached: cachedP, evicted: evictedP },
      },
    ];
  } finally {
    await engine.close();
    await temporal.close();
  }
}
