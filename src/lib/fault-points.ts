import fs from 'node:fs';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/**
 * Fault injection for the fault suite (`npm run test:faults`), off unless RECORDKEEPER_FAULT_KILL_AFTER_COMMIT
 * names activities: `storeContactRecord:0.05,deleteConversationIfDue:0.3`. The worker then dies with SIGKILL,
 * with that probability, right after such an activity returned (its transaction committed) and before Temporal
 * hears of it: the one crash gap a random kill rarely hits. The retry must find its work done and do nothing.
 */
export type KillAfterCommit = Readonly<Record<string, number>>;

/** The line the dying worker writes last, so the suite can count where its kills landed. */
export const KILL_AFTER_COMMIT_MARKER = 'fault point: SIGKILL after commit of';

export const KILL_AFTER_COMMIT_PATTERN = /^[A-Za-z]+:(?:0(?:\.\d+)?|1(?:\.0+)?)(?:,[A-Za-z]+:(?:0(?:\.\d+)?|1(?:\.0+)?))*$/;

export function parseKillAfterCommit(spec: string | undefined): KillAfterCommit {
  if (!spec) return {};
  return Object.fromEntries(spec.split(',').map((pair) => [pair.split(':')[0]!, Number(pair.split(':')[1])]));
}

/** Activity interceptors that kill the process after a named activity's success; none when nothing is named. */
export function killAfterCommitInterceptors(killAfterCommit: KillAfterCommit): ActivityInterceptorsFactory[] {
  if (Object.keys(killAfterCommit).length === 0) return [];
  return [
    (context) => ({
      inbound: {
        async execute(input, next) {
          const result = await next(input);
          const activityType = context.info.activityType;
          if (Math.random() < (killAfterCommit[activityType] ?? 0)) {
            // Synchronous: the process must not live on to report the result.
            fs.writeSync(2, `${KILL_AFTER_COMMIT_MARKER} ${activityType}\n`);
            process.kill(process.pid, 'SIGKILL');
          }
          return result;
        },
      },
    }),
  ];
}
