import { and, eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { auditLog, contactRecords, disposalLedger } from '../../src/db/schema/index.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';

import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { startWorkerProcess } from '../support/worker-process.js';

const { harness, deleteTasks } = await lifecycleHarness();

describe('a worker crash in the middle of a lifecycle', () => {
  // A worker process shares the database only with a PostgreSQL server; PGlite lives inside one process.
  it.skipIf(!inject('databaseUrl'))('is survived: a worker process killed with SIGKILL, a new worker finishes the lifecycle, each step recorded once', async () => {
    // Only the production worker process serves the task queue until it is killed.
    await harness.stopWorker();
    const workerProcess = await startWorkerProcess(harness);
    const scope = uniqueId('crash');
    const task = await harness.http('POST', '/v1/delete-tasks', {
      name: 'crash test',
      selection: { attribute: { key: 'retentionScope', value: scope } },
      retentionSeconds: 4,
    });
    deleteTasks.push(task.body.id);
    const now = new Date().toISOString();
    const posted = await harness.http(
      'POST',
      '/v1/contact-records',
      contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } }),
    );
    const conversationId: string = posted.body.results[0].conversationId;
    const handle = harness.client.workflow.getHandle(conversationWorkflowId(conversationId));
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'due' ? true : undefined));
    // Killed once the planning activity is reported done, so the crash hits the wait, not an activity (a
    // killed activity is retried only after its one-minute start-to-close timeout).
    await eventually(async () => (((await handle.describe()).raw.pendingActivities ?? []).length === 0 ? true : undefined));

    // The worker dies while the lifecycle waits out its retention window; the deadline passes without one.
    await workerProcess.kill();
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect((await harness.http('GET', `/v1/conversations/${conversationId}`)).body.lifecycleState).toBe('captured');

    await harness.startWorker();
    await eventually(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined), 30_000);

    const state = await handle.query(lifecycleStateQuery);
    expect(state.steps.map((step) => step.step)).toEqual(['contact-record-captured', 'deleted']);
    const audited = await harness.db.select().from(auditLog).where(eq(auditLog.conversationId, conversationId));
    expect(audited.filter((entry) => entry.activity === 'CONVERSATION_CAPTURED')).toHaveLength(1);
    expect(audited.filter((entry) => entry.activity === 'CONVERSATION_DELETED')).toHaveLength(1);
    const ledger = await harness.db.select().from(disposalLedger).where(and(eq(disposalLedger.conversationId, conversationId)));
    expect(ledger).toHaveLength(1);
  });

  it.skipIf(!inject('databaseUrl'))(
    'is survived when the worker dies after the first capture committed and before Temporal heard of it: the retry answers duplicate, and the lifecycle still plans and deletes',
    async () => {
      await harness.stopWorker();
      // Dies right after storeContactRecord's transaction commits: the conversation and its record are stored,
      // and the activity is retried (after its start-to-close timeout) on the next worker, which finds them stored.
      const dying = await startWorkerProcess(harness, { env: { RECORDKEEPER_FAULT_KILL_AFTER_COMMIT: 'storeContactRecord:1' } });
      const scope = uniqueId('commit-crash');
      const task = await harness.http('POST', '/v1/delete-tasks', {
        name: 'commit crash test',
        selection: { attribute: { key: 'retentionScope', value: scope } },
        retentionSeconds: 4,
      });
      deleteTasks.push(task.body.id);
      const now = new Date().toISOString();
      const record = contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } });
      // Its answer may be a 503 (the update outlives the request's deadline); the record is stored either way.
      const posted = harness.http('POST', '/v1/contact-records', record).catch(() => undefined);
      await dying.exited;
      // Stored before the worker died, so the retry has nothing left to store.
      const [stored] = await harness.db.select({ conversationId: contactRecords.conversationId }).from(contactRecords).where(eq(contactRecords.contactId, String(record.ContactId)));
      expect(stored).toBeDefined();
      const id = stored!.conversationId;
      await harness.startWorker();
      await posted;

      const handle = harness.client.workflow.getHandle(conversationWorkflowId(id));
      await eventually(async () => ((await handle.describe()).status.name === 'COMPLETED' ? true : undefined), 150_000);
      const audited = await harness.db.select().from(auditLog).where(eq(auditLog.conversationId, id));
      expect(audited.filter((entry) => entry.activity === 'CONVERSATION_CAPTURED')).toHaveLength(1);
      expect(audited.filter((entry) => entry.activity === 'CONVERSATION_DELETED')).toHaveLength(1);
    },
    240_000,
  );
});
