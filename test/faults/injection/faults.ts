import pg from 'pg';
import type { RunningDevServer } from '../../../src/devserver/dev-server.js';
import type { EngineProcess } from './engine-process.js';
import type { FaultScale } from './scale.js';
import type { TcpProxy } from './tcp-proxy.js';
import { shuffle } from './workload.js';

export interface FaultCounts {
  workerKills: number;
  /** Of those, kills while the worker had a statement or transaction open in PostgreSQL (inside an activity). */
  workerKillsInsideDatabaseWork: number;
  temporalRestarts: number;
  apiRestarts: number;
  /** Engine connections ended under it: pg_terminate_backend, and those dropped when PostgreSQL refused. */
  connectionResets: number;
  refusalWindows: number;
}

export interface FaultTargets {
  worker: EngineProcess;
  api: EngineProcess;
  restartTemporal(): Promise<RunningDevServer>;
  proxy: TcpProxy;
  /** A direct connection (not through the proxy) to the run's database. */
  admin: pg.Pool;
  database: string;
  /** application_name of the worker's and the API's connections. */
  applicationNames: { worker: string; api: string };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = (low: number, high: number) => low + Math.random() * (high - low);

/** The engine connections open right now, per application_name and state. */
async function engineBackends(targets: FaultTargets): Promise<{ pid: number; application_name: string; state: string | null }[]> {
  const { rows } = await targets.admin.query<{ pid: number; application_name: string; state: string | null }>(
    'select pid, application_name, state from pg_stat_activity where datname = $1 and application_name = any($2)',
    [targets.database, [targets.applicationNames.worker, targets.applicationNames.api]],
  );
  return rows;
}

/**
 * Runs every fault of a share once, in a random order, a random few seconds apart, while the workload runs.
 * Worker kills wait for a started worker and then a random moment of its work, so they land anywhere: in an
 * activity, in a workflow task, between the two.
 */
/** One phase's share of the scale's faults: the first phase (capture) and the second (deletions) get about half each. */
export type FaultShare = Pick<FaultScale, 'workerKills' | 'temporalRestarts' | 'apiRestarts' | 'connectionTerminations' | 'refusalWindows'>;

export function splitFaults(scale: FaultScale): [FaultShare, FaultShare] {
  const first: FaultShare = {
    workerKills: Math.ceil(scale.workerKills / 2),
    temporalRestarts: Math.ceil(scale.temporalRestarts / 2),
    apiRestarts: Math.floor(scale.apiRestarts / 2),
    connectionTerminations: Math.floor(scale.connectionTerminations / 2),
    refusalWindows: Math.floor(scale.refusalWindows / 2),
  };
  const second = Object.fromEntries(Object.entries(first).map(([key, value]) => [key, scale[key as keyof FaultShare] - value])) as unknown as FaultShare;
  return [first, second];
}

export function addCounts(one: FaultCounts, other: FaultCounts): FaultCounts {
  return Object.fromEntries(Object.entries(one).map(([key, value]) => [key, value + other[key as keyof FaultCounts]])) as unknown as FaultCounts;
}

export async function injectFaults(scale: FaultShare, targets: FaultTargets, log: (line: string) => void): Promise<FaultCounts> {
  const counts: FaultCounts = { workerKills: 0, workerKillsInsideDatabaseWork: 0, temporalRestarts: 0, apiRestarts: 0, connectionResets: 0, refusalWindows: 0 };
  const plan = shuffle([
    ...Array<'worker'>(scale.workerKills).fill('worker'),
    ...Array<'temporal'>(scale.temporalRestarts).fill('temporal'),
    ...Array<'api'>(scale.apiRestarts).fill('api'),
    ...Array<'terminate'>(scale.connectionTerminations).fill('terminate'),
    ...Array<'refuse'>(scale.refusalWindows).fill('refuse'),
  ]);
  for (const fault of plan) {
    await pause(between(500, 2_500));
    if (fault === 'worker') {
      await targets.worker.ready();
      await pause(between(200, 4_000));
      const busy = (await engineBackends(targets)).some((row) => row.application_name === targets.applicationNames.worker && row.state !== null && row.state !== 'idle');
      await targets.worker.kill();
      counts.workerKills += 1;
      if (busy) counts.workerKillsInsideDatabaseWork += 1;
    } else if (fault === 'temporal') {
      await targets.restartTemporal();
      counts.temporalRestarts += 1;
      log('temporal dev server restarted');
    } else if (fault === 'api') {
      await targets.api.ready();
      await targets.api.kill();
      counts.apiRestarts += 1;
      await targets.api.ready();
      log('api restarted');
    } else if (fault === 'terminate') {
      const { rows } = await targets.admin.query<{ ended: boolean }>(
        'select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = $1 and application_name = any($2)',
        [targets.database, [targets.applicationNames.worker, targets.applicationNames.api]],
      );
      counts.connectionResets += rows.filter((row) => row.ended).length;
    } else {
      counts.connectionResets += (await engineBackends(targets)).length;
      await targets.proxy.refuseFor(between(2_000, 5_000));
      counts.refusalWindows += 1;
      log('postgresql refused connections for a few seconds');
    }
  }
  return counts;
}
