import { describe, expect, it } from 'vitest';
import { runFaultScenario } from './injection/scenario.js';
import { faultScaleFromEnv } from './injection/scale.js';

/**
 * Issue 18's fault-injection suite: the production worker and API as child processes on a Temporal dev server
 * and PostgreSQL of the run's own, killed, restarted and cut off while conversations are captured, tagged,
 * held, archived and deleted. `npm run test:faults:short` runs the short form, `npm run test:faults` the long one.
 */
const scale = faultScaleFromEnv(process.env.FAULTS_SCALE);
const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);

describe(`fault injection (${scale.name} form)`, () => {
  it('loses, duplicates and wrongly deletes nothing while the worker, Temporal, the API and PostgreSQL fail under it', { timeout: scale.name === 'long' ? 1_200_000 : 600_000 }, async () => {
    const report = await runFaultScenario(scale, log);
    log(`${report.summary}`);
    log(
      `${report.faults.workerKillsInsideDatabaseWork} of ${report.faults.workerKills} random kills inside database work, ${report.killsAfterCommit} kills between commit and completion report, ` +
        `${report.workerStarts} worker starts (${report.unplannedWorkerExits} exits not by the suite's kills), ${report.faults.apiRestarts} API restarts, ${report.faults.refusalWindows} refusal windows, ${report.callEvents} call events, ` +
        `${report.requestsRetried} requests retried; ${report.checked.deleted} deleted, ${report.checked.kept.held} held, ${report.checked.kept.protected} protected, ` +
        `${report.checked.kept.archived} archived, ${report.checked.kept.calls} live calls kept; ${report.checked.auditEntriesVerified} audit entries verified; ${report.seconds} s`,
    );
    expect(report.checked.violations).toEqual([]);
    expect(report.faults.workerKills).toBe(scale.workerKills);
    expect(report.faults.temporalRestarts).toBe(scale.temporalRestarts);
    expect(report.checked.deleted).toBeGreaterThan(0);
  });
});
