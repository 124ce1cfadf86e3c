import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { parseConfig } from '../../../src/config.js';
import { startDevServer, type RunningDevServer } from '../../../src/devserver/dev-server.js';
import { ensureTemporalCli } from '../../../src/devserver/temporal-cli.js';
import { mapWithConcurrency } from '../../../src/lib/concurrency.js';
import { KILL_AFTER_COMMIT_MARKER } from '../../../src/lib/fault-points.js';
import { freePort } from '../../support/free-port.js';
import { createIdentity } from '../../support/identities.js';
import { createScratchDatabase } from '../../support/scratch-database.js';
import { checkRun, pendingDeletions, type CheckedRun } from './checks.js';
import { superviseEngineProcess } from './engine-process.js';
import { addCounts, injectFaults, splitFaults, type FaultCounts } from './faults.js';
import { persistentClient, type PersistentClient } from './persistent-client.js';
import type { FaultScale } from './scale.js';
import { startTcpProxy } from './tcp-proxy.js';
import { planWorkload, type Workload } from './workload.js';

export interface FaultRunReport {
  scale: FaultScale['name'];
  faults: FaultCounts;
  /** Worker deaths at the kill-after-commit fault point (on top of the suite's own kills). */
  killsAfterCommit: number;
  workerStarts: number;
  /** Worker exits the suite did not cause with a kill: fault points, and crashes when a dependency went away. */
  unplannedWorkerExits: number;
  records: number;
  callEvents: number;
  requestsRetried: number;
  checked: CheckedRun;
  seconds: number;
  /** The line: "37 worker kills, 3 server restarts, 12 connection resets, 4,000 records, 0 lost, ...". */
  summary: string;
}

const APPLICATION_NAMES = { worker: 'recordkeeper-fault-worker', api: 'recordkeeper-fault-api' };
const BATCH = 10;
const FEEDS = 4;

/**
 * Sends every contact record delivery, a batch at a time from a few feeds at once (a record whose activity
 * died with its worker waits out its start-to-close timeout: one feed would stall behind it), and again each
 * record the API could not settle.
 */
async function deliverRecords(api: PersistentClient, workload: Workload, disposedLate: Set<string>): Promise<void> {
  const outstanding = [...workload.deliveries];
  const conversationOf = new Map(workload.conversations.flatMap((conversation) => conversation.legs.map((leg) => [leg.contactId, conversation.conversationId])));
  const feed = async () => {
    while (outstanding.length > 0) {
      const batch = outstanding.splice(0, BATCH);
      const answer = await api.send('POST', '/v1/contact-records', batch);
      if (answer.status !== 200 && answer.status !== 207) throw new Error(`contact records answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      (answer.body.results as { status: string; contactId: string }[]).forEach((result, index) => {
        if (result.status === 'failed') outstanding.push(batch[index]!);
        else if (result.status === 'disposed') disposedLate.add(conversationOf.get(result.contactId)!);
        else if (result.status === 'rejected') throw new Error(`a valid record was rejected: ${JSON.stringify(result)}`);
      });
    }
  };
  await Promise.all(Array.from({ length: FEEDS }, feed));
}

/**
 * Each live call's events as an unreliable integration sends them: a hold before the start, a resume before
 * the hold (both refused as out of order), then everything again in order, then the end twice.
 */
async function deliverCallEvents(api: PersistentClient, workload: Workload, callConversations: Map<string, string>): Promise<number> {
  let sent = 0;
  for (const { callId, events } of workload.calls) {
    const [started, held, resumed, transferred, ended] = events;
    for (const batch of [[held, started], [resumed], [started, held, resumed], [transferred, ended], [transferred, ended]]) {
      const answer = await api.send('POST', `/v1/calls/${callId}/events`, batch);
      // 422: every event of the batch refused as out of order, as planned for the early resume.
      const refusedAsPlanned = answer.status === 422 && batch.length === 1 && batch[0] === resumed;
      if (answer.status !== 200 && !refusedAsPlanned) throw new Error(`call events answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      if (answer.status === 200) callConversations.set(callId, answer.body.conversationId);
      sent += batch.length;
    }
  }
  return sent;
}

/** Protects, holds and tags for the archive what the plan says (nothing is due yet: the delete task comes later). */
async function actOnConversations(api: PersistentClient, workload: Workload, names: { protect: string; archive: string }): Promise<void> {
  const acted = workload.conversations.filter((conversation) => conversation.role !== 'delete');
  // Several at once, as for records: one whose activity died with its worker waits out its timeout.
  await mapWithConcurrency(acted, FEEDS * 2, async ({ conversationId, role }) => {
    const answer =
      role === 'hold'
        ? await api.send('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: `fault run ${workload.runId}` })
        : await api.send('POST', `/v1/conversations/${conversationId}/tags`, { name: role === 'protect' ? names.protect : names.archive, value: null });
    if (answer.status !== 200 && answer.status !== 201) throw new Error(`${role} of ${conversationId} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  });
}

async function archiveTagged(api: PersistentClient, taskId: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  const started = await api.send('POST', `/v1/archive-tasks/${taskId}/runs`);
  if (started.status !== 202) throw new Error(`archive run answered ${started.status}: ${JSON.stringify(started.body)}`);
  while (Date.now() < deadline) {
    const runs = await api.send('GET', `/v1/archive-tasks/${taskId}/runs`);
    const run = (runs.body.items as { id: string; finishedAt: string | null }[] | undefined)?.find((item) => item.id === started.body.runId);
    if (run?.finishedAt) return;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`archive run ${started.body.runId} did not finish within ${deadlineMs} ms`);
}

const thousands = (value: number) => value.toLocaleString('en-US');

/**
 * One fault run: its own database (through a proxy that can refuse), its own Temporal dev server on a SQLite
 * file, the production worker and API as supervised child processes; a workload of contact records, live
 * calls, tags, holds, an archive run and deletions; faults injected throughout; then the checks.
 */
export async function runFaultScenario(scale: FaultScale, log: (line: string) => void): Promise<FaultRunReport> {
  const began = Date.now();
  const config = parseConfig(process.env);
  const cliPath = await ensureTemporalCli({ explicitPath: config.tools.temporalCli, cacheDir: config.tools.cacheDir, log });
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-faults-'));
  const scratch = await createScratchDatabase(config.testPostgresUrl, 'faults', 4);
  const serverUrl = new URL(scratch.url);
  const admin = new pg.Pool({ connectionString: scratch.url, max: 3 });
  const proxy = await startTcpProxy({ host: serverUrl.hostname, port: Number(serverUrl.port || 5432) });
  const engineUrl = (applicationName: string) => {
    const url = new URL(scratch.url);
    url.host = `127.0.0.1:${proxy.port}`;
    url.searchParams.set('application_name', applicationName);
    return url.toString();
  };
  const temporalPort = await freePort();
  const temporalUiPort = await freePort();
  // The dev server's warnings ("Slow gRPC call" on a loaded machine) would drown the run's own lines.
  const temporalOptions = { cliPath, port: temporalPort, uiPort: temporalUiPort, namespace: 'default', dbFile: path.join(scratchDir, 'temporal.sqlite'), log: () => undefined };
  let temporal: RunningDevServer = await startDevServer(temporalOptions);
  const apiPort = await freePort();
  const common = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'faults',
    MEDIA_ROOT: path.join(scratchDir, 'media'),
    ARCHIVE_ROOT: path.join(scratchDir, 'archive'),
    AUDIT_SIGNING_KEY_FILE: path.join(scratchDir, 'audit', 'audit-signing-key.pem'),
    AUDIT_ANCHOR_DIR: path.join(scratchDir, 'audit', 'anchors'),
    MIGRATE_ON_START: 'false',
    LOG_LEVEL: 'info',
  };
  // Workers started while faults are injected carry the kill-after-commit point; later ones run clean, so the run settles.
  let faultPointsOn = true;
  const workerEnv = { ...common, DATABASE_URL: engineUrl(APPLICATION_NAMES.worker) };
  const worker = superviseEngineProcess('src/worker.ts', workerEnv, log, [KILL_AFTER_COMMIT_MARKER], () => ({ RECORDKEEPER_FAULT_KILL_AFTER_COMMIT: faultPointsOn ? scale.killAfterCommit : '' }));
  const api = superviseEngineProcess('src/server.ts', { ...common, DATABASE_URL: engineUrl(APPLICATION_NAMES.api), API_HOST: '127.0.0.1', API_PORT: String(apiPort) }, log);
  const connection = await Connection.connect({ address: temporal.address });
  const temporalClient = new Client({ connection });
  try {
    await Promise.all([worker.ready(), api.ready()]);
    const token = (await createIdentity(scratch.handle.db, 'admin')).token;
    const client = persistentClient(`http://127.0.0.1:${apiPort}`, token, 180_000);
    const workload = planWorkload(scale);
    const names = { protect: `FAULT_PROTECT_${workload.runId.toUpperCase()}`, archive: `FAULT_ARCHIVE_${workload.runId.toUpperCase()}` };
    for (const [name, protectionYears] of [[names.protect, 5], [names.archive, null]] as const) {
      const defined = await client.send('POST', '/v1/tag-definitions', { name, protectionYears });
      if (defined.status !== 201) throw new Error(`tag definition answered ${defined.status}`);
    }
    const archiveTask = await client.send('POST', '/v1/archive-tasks', { name: `fault run ${workload.runId}`, selection: { tag: { name: names.archive } }, destination: `faults-${workload.runId}` });
    if (archiveTask.status !== 201) throw new Error(`archive task answered ${archiveTask.status}`);

    const restartTemporal = async () => {
      await temporal.stop();
      temporal = await startDevServer(temporalOptions);
      return temporal;
    };
    const targets = { worker, api, restartTemporal, proxy, admin, database: serverUrl.pathname.slice(1), applicationNames: APPLICATION_NAMES };
    const [captureFaults, deletionFaults] = splitFaults(scale);
    const at = () => `${Math.round((Date.now() - began) / 1000)} s`;

    // Phase 1, capture: records, live calls, tags, holds and an archive run, with half the faults.
    const firstFaults = injectFaults(captureFaults, targets, log);
    const disposedLate = new Set<string>();
    const callConversations = new Map<string, string>();
    const [, callEvents] = await Promise.all([deliverRecords(client, workload, disposedLate), deliverCallEvents(client, workload, callConversations)]);
    log(`${at()}: ${workload.deliveries.length} contact records and ${callEvents} call events delivered`);
    await actOnConversations(client, workload, names);
    await archiveTagged(client, archiveTask.body.id, 600_000);
    log(`${at()}: tags, holds and the archive run done`);
    const firstCounts = await firstFaults;

    // Phase 2, deletion: the delete task comes last (its re-plan tells every lifecycle), so every tag and hold
    // is in place before anything falls due; the other half of the faults hit the deletions.
    const deleteTask = await client.send('POST', '/v1/delete-tasks', {
      name: `fault run ${workload.runId}`,
      selection: { attribute: { key: 'faultDelete', value: workload.runId } },
      retentionSeconds: workload.retentionSecondsFrom(Date.now()),
    });
    if (deleteTask.status !== 201) throw new Error(`delete task answered ${deleteTask.status}: ${JSON.stringify(deleteTask.body)}`);
    const faultCounts = addCounts(firstCounts, await injectFaults(deletionFaults, targets, log));
    faultPointsOn = false;
    log(`${at()}: faults done: ${JSON.stringify(faultCounts)}; worker exits nobody asked for: ${JSON.stringify(worker.unplannedExits())}`);

    // Settled: every conversation due has been deleted. Deadline: the last due time plus retries after kills
    // (a killed activity is retried after its one-minute start-to-close timeout).
    const settleDeadline = Date.now() + (scale.deleteAfterSeconds + scale.startSpreadSeconds) * 1000 + 300_000;
    while ((await pendingDeletions({ workload, admin })) > 0) {
      if (Date.now() > settleDeadline) break;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    log(`${at()}: deletions settled`);
    // A lifecycle completes just after its deletion commits; give the last ones a moment before describing.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const checked = await checkRun({ workload, disposedLate, callConversations, admin, db: scratch.handle.db, temporal: temporalClient, api: client });
    const records = workload.deliveries.length;
    const killsAfterCommit = worker.linesMatching(KILL_AFTER_COMMIT_MARKER).length;
    const summary =
      `${faultCounts.workerKills + killsAfterCommit} worker kills, ${faultCounts.temporalRestarts} server restarts, ${faultCounts.connectionResets} connection resets, ` +
      `${thousands(records)} records, ${checked.lost} lost, ${checked.duplicated} duplicated, ${checked.wronglyDeleted} wrongly deleted`;
    return {
      scale: scale.name,
      faults: faultCounts,
      killsAfterCommit,
      workerStarts: worker.starts(),
      unplannedWorkerExits: worker.unplannedExits().length,
      records,
      callEvents,
      requestsRetried: client.retries(),
      checked,
      seconds: Math.round((Date.now() - began) / 1000),
      summary,
    };
  } catch (error) {
    log(`the run failed; the API's last lines:\n${api.recentOutput()}\nthe worker's last lines:\n${worker.recentOutput()}`);
    throw error;
  } finally {
    await Promise.allSettled([worker.stop(), api.stop()]);
    await connection.close().catch(() => undefined);
    await temporal.stop();
    await proxy.stop();
    await admin.end();
    await scratch.drop();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}
