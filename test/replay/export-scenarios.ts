import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { NativeConnection, Worker } from '@temporalio/worker';
import { expect, inject } from 'vitest';
import { createActivities } from '../../src/activities/index.js';
import { DATA_EXPORT_RUN_WORKFLOW, dataExportManualRunWorkflowId, type DataExportRunInput, type DataExportRunResult } from '../../src/workflows/data-export-run.contract.js';
import type { Harness } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';
import { exportsConfig, insertConversations } from '../exports/export-fixtures.js';
import type { Scenario } from './scenario.js';

/**
 * The recorder's harness has no exports folder, so these runs go to a worker of their own (own task queue,
 * own folder), on the same Temporal server and database.
 */
async function withExportWorker<T>(harness: Harness, work: (taskQueue: string) => Promise<T>): Promise<T> {
  const exports = exportsConfig();
  const taskQueue = `${harness.taskQueue}-exports`;
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') },
    activities: createActivities({ db: harness.db, media: harness.media, exports }),
  });
  try {
    return await worker.runUntil(work(taskQueue));
  } finally {
    await connection.close();
    fs.rmSync(exports.root, { recursive: true, force: true });
  }
}

/** A manual run of an emailed export (the mail queued, the dispatcher poked) and a scheduled firing of the same export. */
export const EXPORT_SCENARIOS: Record<string, Scenario> = {
  async 'data-export-run-manual-mailed-and-scheduled'(harness) {
    const owner = await harness.identityFor('cc-manager', { email: `${uniqueId('replay-owner')}@example.test` });
    const queue = uniqueId('replay-queue');
    await insertConversations(harness.db, [{ startedAt: '2026-11-20T10:00:00Z', queue }, { startedAt: '2026-11-20T11:00:00Z', queue }]);
    const created = await harness.as(owner.token).http('POST', '/v1/data-exports', { name: 'replay export', source: 'conversations', filters: { queue }, delivery: 'email' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const exportId: string = created.body.id;
    return withExportWorker(harness, async (taskQueue) => {
      const runId = randomUUID();
      const manualId = dataExportManualRunWorkflowId(exportId, runId);
      const manualInput: DataExportRunInput = { exportId, trigger: 'manual', runId, requestedBy: { correlationId: uniqueId('replay'), actor: { type: 'user', id: owner.userId, username: owner.username, fullName: 'Replay owner' } } };
      const manual: DataExportRunResult = await harness.client.workflow.execute(DATA_EXPORT_RUN_WORKFLOW, { workflowId: manualId, taskQueue, args: [manualInput] });
      expect(manual).toMatchObject({ status: 'completed', rowCount: 2, mailQueued: true });

      const scheduledId = `data-export-run-${exportId}-replay-scheduled`;
      const scheduled: DataExportRunResult = await harness.client.workflow.execute(DATA_EXPORT_RUN_WORKFLOW, { workflowId: scheduledId, taskQueue, args: [{ exportId, trigger: 'scheduled' }] });
      expect(scheduled).toMatchObject({ status: 'completed', rowCount: 2 });
      return [
        { workflowId: manualId, part: 'manual' },
        { workflowId: scheduledId, part: 'scheduled' },
      ];
    });
  },
};
