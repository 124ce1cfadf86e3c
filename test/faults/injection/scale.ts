/** How much one fault run does: the short form in `npm run test:faults:short`, the long one in `npm run test:faults`. */
export interface FaultScale {
  name: 'short' | 'long';
  conversations: number;
  liveCalls: number;
  workerKills: number;
  /** Restarts of the suite's own Temporal dev server (same SQLite file). */
  temporalRestarts: number;
  apiRestarts: number;
  /** pg_terminate_backend sweeps over every engine connection. */
  connectionTerminations: number;
  /** Windows of a few seconds in which PostgreSQL refuses connections (the proxy in front of it). */
  refusalWindows: number;
  /** Seconds after the delete task is made at which the first conversation falls due. */
  deleteAfterSeconds: number;
  /** Conversation starts are spread over this many seconds, so deletions come one after another. */
  startSpreadSeconds: number;
  /** Probability per activity that the worker dies right after it committed (src/lib/fault-points.ts). */
  killAfterCommit: string;
}

export const FAULT_SCALES: Record<FaultScale['name'], FaultScale> = {
  short: {
    name: 'short',
    conversations: 40,
    liveCalls: 4,
    workerKills: 3,
    temporalRestarts: 1,
    apiRestarts: 1,
    connectionTerminations: 1,
    refusalWindows: 1,
    deleteAfterSeconds: 20,
    startSpreadSeconds: 15,
    killAfterCommit: 'storeContactRecord:0.03,deleteConversationIfDue:0.1,placeLegalHold:0.1',
  },
  long: {
    name: 'long',
    conversations: 400,
    liveCalls: 20,
    workerKills: 30,
    temporalRestarts: 2,
    apiRestarts: 2,
    connectionTerminations: 6,
    refusalWindows: 3,
    deleteAfterSeconds: 30,
    startSpreadSeconds: 120,
    killAfterCommit: 'storeContactRecord:0.01,deleteConversationIfDue:0.03,placeLegalHold:0.05,persistConversationTags:0.03,writeArchivePackage:0.03',
  },
};

export function faultScaleFromEnv(value: string | undefined): FaultScale {
  if (value === undefined || value === '' || value === 'short') return FAULT_SCALES.short;
  if (value === 'long') return FAULT_SCALES.long;
  throw new Error(`FAULTS_SCALE must be short or long, not ${value}`);
}
