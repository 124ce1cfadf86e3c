import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditCheckpoint } from '../../src/audit/write/checkpoint-writer.js';
import { SYSTEM_ACTOR } from '../../src/audit/write/actor.js';
import { appendAudit, syncEntry } from '../../src/audit/write/audit-writer.js';
import { queryRows } from '../../src/db/query-rows.js';
import { auditCheckpoints, auditLog } from '../../src/db/schema/index.js';
import { ensureAuditCheckpointSchedule } from '../../src/temporal/schedules.js';
import { AUDIT_CHECKPOINT_WORKFLOW, auditCheckpointScheduleId, type AuditCheckpointResult } from '../../src/workflows/audit-checkpoint.contract.js';
import { createHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/lifecycle.js';
import { createIsolatedApp, type IsolatedApp } from '../support/isolated-app.js';

let harness: Harness;
let isolated: IsolatedApp | undefined;

beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.client.schedule.getHandle(auditCheckpointScheduleId(harness.taskQueue)).delete().catch(() => undefined);
  await isolated?.close();
  await harness?.close();
});

describe('periodic audit checkpoints', () => {
  it('are written by a Temporal Schedule, created once however often workers start', async () => {
    const scheduleId = await ensureAuditCheckpointSchedule(harness.client, harness.taskQueue);
    expect(await ensureAuditCheckpointSchedule(harness.client, harness.taskQueue)).toBe(scheduleId);
    const handle = harness.client.schedule.getHandle(scheduleId);
    const description = await handle.describe();
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: AUDIT_CHECKPOINT_WORKFLOW, taskQueue: harness.taskQueue });
    expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 15 * 60 * 1000 })]);

    await handle.trigger();
    const started = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action.workflow);
    const result: AuditCheckpointResult = await harness.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();

    const [stored] = await harness.db.select().from(auditCheckpoints).where(eq(auditCheckpoints.chainSeq, BigInt(result.checkpoint.chainSeq)));
    expect(stored?.hash).toBe(result.checkpoint.hash);
    const [entry] = await harness.db.select().from(auditLog).where(eq(auditLog.chainSeq, BigInt(result.checkpoint.chainSeq)));
    expect(entry?.hash).toBe(result.checkpoint.hash);
    if (result.created) {
      expect(entry).toMatchObject({ activity: 'AUDIT_CHECKPOINT', phase: 'SYNC', result: 'OK', actorType: 'workflow' });
      expect(entry?.actorId).toContain(started.workflowId);
    }
  });

  it('skip a chain that has not moved since the last checkpoint, so a retried activity writes nothing twice', async () => {
    isolated = await createIsolatedApp(harness);
    const options = { actor: SYSTEM_ACTOR, correlationId: 'checkpoint-test', onlyIfMoved: true };
    const first = await writeAuditCheckpoint(isolated.db, options);
    const again = await writeAuditCheckpoint(isolated.db, options);
    expect(first.created).toBe(true);
    expect(again).toEqual({ checkpoint: first.checkpoint, created: false });
    const [counts] = await queryRows<{ checkpoints: number; entries: number }>(
      isolated.db,
      sql`select (select count(*) from audit_checkpoints)::int as checkpoints, (select count(*) from audit_log where activity = 'AUDIT_CHECKPOINT')::int as entries`,
    );
    expect(counts).toEqual({ checkpoints: 1, entries: 1 });
    // Once the chain moves, the next run checkpoints again.
    await appendAudit(isolated.db, [syncEntry({ activity: 'AUDIT_CHECKPOINT', result: 'FAIL', actor: SYSTEM_ACTOR, description: 'another entry', correlationId: 'checkpoint-test' })]);
    const moved = await writeAuditCheckpoint(isolated.db, options);
    expect(moved.created).toBe(true);
    expect(moved.checkpoint.chainSeq).toBe(first.checkpoint.chainSeq + 2);
  });
});
