import { and, inArray, isNotNull } from 'drizzle-orm';
import { conversations } from '../src/db/schema/index.js';
import { mapWithConcurrency } from '../src/lib/concurrency.js';
import { conversationWorkflowId } from '../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord, startBenchEngine, startBenchTemporal } from './engine.js';
import { count, ms, percentiles, type BenchRow } from './measure.js';
import { machine } from './processes.js';

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * A worker crash with lifecycles in flight: `lifecycles` records are delivered 32 at a time by a feed that
 * honours 503 + Retry-After; halfway through, the worker is SIGKILLed and a new one started. Every lifecycle
 * is due for deletion shortly after, so hundreds of evicted lifecycles replay at once. Reported: the workflow
 * task durations after the restart (WorkflowTaskStarted to its end, from each history), the deletions'
 * lateness against their due time, and what the feed saw.
 */
export async function restartBenchmark(options: { serverUrl: string; cacheDir: string; temporalCli: string | undefined; lifecycles: number; log: (line: string) => void }): Promise<BenchRow[]> {
  const temporal = await startBenchTemporal(options);
  const engine = await startBenchEngine({ serverUrl: options.serverUrl, temporal, taskQueue: 'bench-restart' });
  try {
    const scope = `restart-${Date.now()}`;
    // Long enough for every record to be delivered, restart included, before the first deletion falls due
    // (3-15 records per second on this machine, depending on its load; a restart bundles for up to a minute).
    const retentionSeconds = 120 + Math.ceil(options.lifecycles / 3);
    const task = await engine.asAdmin('POST', '/v1/delete-tasks', { name: 'restart bench', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds });
    if (task.status !== 201) throw new Error(`delete task answered ${task.status}: ${JSON.stringify(task.body)}`);

    const feed = { answered503: 0, answered504: 0, answered410: 0, otherFailures: 0 };
    const conversationIds = new Set<string>();
    const records = Array.from({ length: options.lifecycles }, (_, i) => contactRecord(i, { retentionScope: scope }, new Date()));
    let delivered = 0;
    const killAt = Math.floor(options.lifecycles / 2);
    let restarted: Promise<number> | undefined;
    const deliveryStarted = performance.now();
    await mapWithConcurrency(records, 32, async (record) => {
      for (;;) {
        const answer = await engine.post(record);
        if (answer.status === 200) {
          const [result] = answer.body.results as { conversationId: string; status: string }[];
          conversationIds.add(result!.conversationId);
          break;
        }
        if (answer.status === 410) {
          // Deleted already: it was stored, and its retention ran out before the feed's retry.
          feed.answered410 += 1;
          break;
        }
        if (answer.status === 503) feed.answered503 += 1;
        else if (answer.status === 504) feed.answered504 += 1;
        else feed.otherFailures += 1;
        await sleep(Number(answer.headers.get('retry-after') ?? '1') * 1000);
      }
      delivered += 1;
      if (delivered === killAt && !restarted) {
        options.log(`restart: ${delivered} delivered, SIGKILL the worker and start a new one`);
        restarted = (async () => {
          await engine.worker.kill();
          await engine.restartWorker();
          return Date.now();
        })();
      }
    });
    const restartedAt = await restarted!;
    const deliverySeconds = (performance.now() - deliveryStarted) / 1000;
    options.log(`restart: all ${options.lifecycles} delivered in ${deliverySeconds.toFixed(0)} s; waiting for the deletions`);

    const ids = [...conversationIds];
    // A deletion clears delete_due_at: note every due time before the first one falls due.
    const dueAt = new Map<string, number>();
    const dueRows = await engine.db.select({ id: conversations.id, deleteDueAt: conversations.deleteDueAt }).from(conversations).where(inArray(conversations.id, ids));
    for (const row of dueRows) if (row.deleteDueAt) dueAt.set(row.id, row.deleteDueAt.getTime());
    if (dueAt.size < ids.length) options.log(`restart: only ${dueAt.size} of ${ids.length} conversations have a due time yet (the first deletions were already due?)`);
    const deadline = Date.now() + (retentionSeconds + 300) * 1000;
    let deleted: { id: string; deletedAt: Date | null }[] = [];
    for (;;) {
      deleted = await engine.db
        .select({ id: conversations.id, deletedAt: conversations.deletedAt })
        .from(conversations)
        .where(and(inArray(conversations.id, ids), isNotNull(conversations.deletedAt)));
      if (deleted.length === ids.length || Date.now() > deadline) break;
      await sleep(2_000);
    }
    const lateness = deleted.filter((row) => dueAt.has(row.id) && row.deletedAt).map((row) => (row.deletedAt!.getTime() - dueAt.get(row.id)!) / 1000);

    // Workflow task durations after the restart, from each lifecycle's own history.
    const durations: number[] = [];
    let timedOut = 0;
    let failed = 0;
    await mapWithConcurrency(ids, 8, async (id) => {
      const history = await temporal.client.workflow.getHandle(conversationWorkflowId(id)).fetchHistory();
      let startedAt: number | undefined;
      for (const event of history.events ?? []) {
        const at = Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6);
        if (event.workflowTaskStartedEventAttributes) startedAt = at;
        const ended = event.workflowTaskCompletedEventAttributes ?? event.workflowTaskFailedEventAttributes ?? event.workflowTaskTimedOutEventAttributes;
        if (ended && startedAt !== undefined) {
          if (startedAt >= restartedAt) durations.push(at - startedAt);
          if (event.workflowTaskTimedOutEventAttributes) timedOut += 1;
          if (event.workflowTaskFailedEventAttributes) failed += 1;
          startedAt = undefined;
        }
      }
    });
    const sorted = [...durations].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? Number.NaN;
    const { p50, max } = percentiles(durations);
    const slowWarnings = (engine.worker.output().match(/took longer than|slow/gi) ?? []).length;
    const late = percentiles(lateness);
    const load = machine().load;
    const measure = `${count(options.lifecycles)} lifecycles, worker SIGKILLed after ${count(killAt)}`;
    return [
      {
        benchmark: 'restart (workflow tasks after a SIGKILL)',
        measure,
        value: `p99 ${ms(p99)}`,
        note: `${count(durations.length)} workflow tasks after the restart: p50 ${ms(p50)}, max ${ms(max)}, ${sorted.filter((d) => d > 1000).length} over 1 s; ${timedOut} timed out, ${failed} failed (whole histories); ${slowWarnings} slow-task warnings logged; load ${load}`,
        data: { kind: 'restart-tasks', tasks: durations.length, p50, p99, max, over1s: sorted.filter((d) => d > 1000).length, timedOut, failed },
      },
      {
        benchmark: 'restart (due deletions after a SIGKILL)',
        measure: `${count(ids.length)} conversations, retention ${retentionSeconds} s`,
        value: `${count(deleted.length)} deleted, lateness p50 ${late.p50.toFixed(1)} s`,
        note: `lateness p95 ${late.p95.toFixed(1)} s, max ${late.max.toFixed(1)} s (deleted_at - delete_due_at noted before); feed: ${feed.answered503} answers 503 (retried after Retry-After), ${feed.answered504} answers 504, ${feed.answered410} answers 410, ${feed.otherFailures} other; delivered in ${deliverySeconds.toFixed(0)} s`,
        data: { kind: 'restart-deletions', conversations: ids.length, deleted: deleted.length, lateness: late, feed },
      },
    ];
  } finally {
    await engine.close();
    await temporal.close();
  }
}
