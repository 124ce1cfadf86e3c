import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/index.js';
import { auditLog, conversations, disposalLedger, legalHolds } from '../../src/db/schema/index.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

/**
 * The README's promise "a hold committed a moment earlier wins", where no ordinary re-plan can help: the
 * hold or protection is written straight to PostgreSQL after the lifecycle planned and before the due time,
 * so no signal tells the workflow. Only the deleting transaction's re-check under the row lock sees it.
 */
const { harness, deleteTasks } = await lifecycleHarness();
const RETENTION_SECONDS = 6;

/** A conversation its lifecycle has planned to delete RETENTION_SECONDS after capture; returns its due time. */
async function plannedForDeletion(): Promise<{ conversationId: string; dueAt: number }> {
  const scope = uniqueId('recheck');
  const task = await harness.http('POST', '/v1/delete-tasks', { name: `recheck ${scope}`, selection: { attribute: { key: 'recheckScope', value: scope } }, retentionSeconds: RETENTION_SECONDS });
  deleteTasks.push(task.body.id);
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { recheckScope: scope } }));
  const conversationId: string = posted.body.results[0].conversationId;
  // The lifecycle mirrors its plan into the row: from here on it only sleeps until the due time.
  const dueAt = await eventually(async () => {
    const [row] = await harness.db.select({ deleteDueAt: conversations.deleteDueAt }).from(conversations).where(eq(conversations.id, conversationId));
    return row?.deleteDueAt?.getTime();
  });
  const handle = harness.client.workflow.getHandle(conversationWorkflowId(conversationId));
  await eventually(async () => (((await handle.describe()).raw.pendingActivities ?? []).length === 0 ? true : undefined));
  return { conversationId, dueAt };
}

async function auditedActivities(conversationId: string): Promise<string[]> {
  const entries = await harness.db.select({ activity: auditLog.activity }).from(auditLog).where(eq(auditLog.conversationId, conversationId));
  return entries.map((entry) => entry.activity);
}

async function expectKept(conversationId: string): Promise<void> {
  const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
  expect(read.status).toBe(200);
  expect(read.body.lifecycleState).not.toBe('deleted');
  expect(read.body.customerAddress).not.toBeNull();
  expect(await auditedActivities(conversationId)).not.toContain('CONVERSATION_DELETED');
  expect(await harness.db.select().from(disposalLedger).where(eq(disposalLedger.conversationId, conversationId))).toEqual([]);
}

describe('the deleting transaction re-checks under the row lock', () => {
  it('keeps a conversation whose legal hold was written to the database while its lifecycle slept, and audits why', async () => {
    const { conversationId, dueAt } = await plannedForDeletion();
    await harness.db.insert(legalHolds).values({ id: randomUUID(), conversationId, reason: 'placed by another system, no signal sent', placedBy: 'dba' });
    expect(Date.now()).toBeLessThan(dueAt);

    // At the due time the lifecycle itself calls the deletion, still believing its plan.
    await eventually(async () => {
      const audited = await auditedActivities(conversationId);
      return audited.includes('CONVERSATION_DELETION_WITHHELD') || audited.includes('CONVERSATION_DELETED') ? true : undefined;
    }, 30_000);
    await expectKept(conversationId);
    const [withheld] = await harness.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.conversationId, conversationId), eq(auditLog.activity, 'CONVERSATION_DELETION_WITHHELD')));
    expect(withheld).toMatchObject({ result: 'OK', details: { status: 'held' } });
    expect((withheld!.details as { reasons: string[] }).reasons[0]).toBe('legal-hold');
    expect((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status).toBe('held');
  });

  it('keeps a conversation whose protection was raised in the database, when the deletion is called directly after its due time', async () => {
    const { conversationId, dueAt } = await plannedForDeletion();
    await harness.db.execute(sql`update conversations set protected_until = now() + interval '5 years' where id = ${conversationId}::uuid`);
    expect(Date.now()).toBeLessThan(dueAt);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt - Date.now()) + 200));

    const activities = createActivities({ db: harness.db, media: harness.media });
    const outcome = await activities.deleteConversationIfDue({ conversationId, workflow: { workflowId: conversationWorkflowId(conversationId), runId: 'direct-call' } });
    expect(outcome.deleted).toBe(false);
    expect(outcome.plan.protectedUntil).not.toBeNull();
    await expectKept(conversationId);
    expect(await auditedActivities(conversationId)).toContain('CONVERSATION_DELETION_WITHHELD');
  });
});
