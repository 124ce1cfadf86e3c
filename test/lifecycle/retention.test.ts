import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, disposalLedger } from '../../src/db/schema/index.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { releaseHold } from '../support/legal-holds.js';

/**
 * Retention with windows of seconds. Every delete task here selects only this run's conversations (by a
 * metadata attribute), because tasks are global and other test files capture conversations in parallel.
 */
let harness: Harness;
const run = uniqueId('retention');
const taskIds: string[] = [];

beforeAll(async () => {
  harness = await createHarness();
  await ensureTags(harness, [{ name: 'MIFID_7Y', protectionYears: 7 }, { name: 'FOLLOW_UP' }]);
});
afterAll(async () => {
  for (const id of taskIds) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await harness?.close();
});

async function createTask(scope: string, retentionSeconds: number, selection: Record<string, unknown> = {}) {
  const created = await harness.http('POST', '/v1/delete-tasks', {
    name: `test ${scope}`,
    selection: { attribute: { key: 'retentionScope', value: scope }, ...selection },
    retentionSeconds,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  taskIds.push(created.body.id);
  return created.body.id as string;
}

/** A conversation that started now, in the given retention scope. */
async function capture(scope: string): Promise<string> {
  const now = new Date().toISOString();
  const posted = await harness.http(
    'POST',
    '/v1/contact-records',
    contactRecord({ InitiationTimestamp: now, DisconnectTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } }),
  );
  expect(posted.body.results[0].status).toBe('created');
  return posted.body.results[0].conversationId;
}

const retention = async (conversationId: string) => (await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body;
const untilDeleted = (conversationId: string) =>
  eventually(async () => ((await retention(conversationId)).status === 'deleted' ? true : undefined), 30_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('retention and deletion', () => {
  it('deletes an untagged conversation when its window elapses, leaving a tombstone, a ledger entry and an audit record', async () => {
    const scope = `${run}-untagged`;
    const taskId = await createTask(scope, 3, { untaggedOnly: true });
    const conversationId = await capture(scope);
    const planned = await retention(conversationId);
    expect(planned).toMatchObject({ status: 'due', deleteTask: { id: taskId } });

    await untilDeleted(conversationId);
    const tombstone = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(tombstone.status).toBe(200);
    expect(tombstone.body).toMatchObject({ lifecycleState: 'deleted', customerAddress: null, agentUsername: null, attributes: {}, legs: [] });

    const [ledger] = await harness.db.select().from(disposalLedger).where(eq(disposalLedger.conversationId, conversationId));
    expect(ledger).toMatchObject({ kind: 'deletion', deleteTaskId: taskId });
    expect(ledger?.destroyed).toEqual([expect.objectContaining({ what: expect.stringMatching(/^contact-record:/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    const deletions = await harness.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.conversationId, conversationId), eq(auditLog.activity, 'CONVERSATION_DELETED')));
    expect(deletions).toHaveLength(1);
    expect(deletions[0]).toMatchObject({ result: 'OK', actorType: 'workflow' });

    // Deletion is final: a late re-delivery and new changes are refused.
    const hold = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'too late' });
    expect(hold.status).toBe(410);
  });

  it('keeps a conversation tagged for MiFID protection, and one on legal hold until the hold is released', async () => {
    const scope = `${run}-protected`;
    await createTask(scope, 3);
    const tagged = await capture(scope);
    const held = await capture(scope);
    const tag = await harness.http('POST', `/v1/conversations/${tagged}/tags`, { name: 'MIFID_7Y' });
    expect(tag.status, JSON.stringify(tag.body)).toBe(200);
    const placed = await harness.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'FCA enquiry 42', reference: 'FCA-42' });
    expect(placed.status).toBe(201);

    const taggedPlan = await retention(tagged);
    expect(taggedPlan.protectingTags).toEqual([{ name: 'MIFID_7Y', protectionYears: 7 }]);
    expect(new Date(taggedPlan.protectedUntil).getUTCFullYear()).toBeGreaterThanOrEqual(new Date().getUTCFullYear() + 6);
    expect(taggedPlan.deleteAt).toBe(taggedPlan.protectedUntil);
    expect((await retention(held)).status).toBe('held');

    await sleep(5_000);
    expect((await retention(tagged)).state).toBe('captured');
    expect((await retention(held)).state).toBe('captured');

    const released = await releaseHold(harness, `/v1/conversations/${held}/legal-holds/${placed.body.holdId}/release`, 'enquiry closed');
    expect(released.body).toMatchObject({ status: 'approved', released: 1 });
    await untilDeleted(held);
    expect((await retention(tagged)).state).toBe('captured');
  });

  it('lets a hold arriving at the deletion instant win', async () => {
    const scope = `${run}-race`;
    await createTask(scope, 2);
    const conversationId = await capture(scope);
    const { deleteAt } = await retention(conversationId);
    await sleep(Math.max(0, Date.parse(deleteAt) - Date.now() - 30));
    const placed = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'last-minute subpoena' });
    expect(placed.status).toBe(201);
    await sleep(3_000);
    const after = await retention(conversationId);
    expect(after).toMatchObject({ state: 'captured', status: 'held' });
    expect(after.activeHolds).toHaveLength(1);
  });

  it('re-plans when a delete task changes, and never shortens a protection an authority extended', async () => {
    const scope = `${run}-replan`;
    const taskId = await createTask(scope, 86_400);
    const extended = await capture(scope);
    const plain = await capture(scope);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const extension = await harness.http('POST', `/v1/conversations/${extended}/retention-extensions`, { until, reason: 'regulator request', authorityReference: 'REG-7' });
    expect(extension.body).toMatchObject({ extended: true, protectedUntil: until });
    const shorter = await harness.http('POST', `/v1/conversations/${extended}/retention-extensions`, {
      until: new Date(Date.now() + 60_000).toISOString(),
      reason: 'attempt to shorten',
    });
    expect(shorter.body).toMatchObject({ extended: false, protectedUntil: until });

    const changed = await harness.http('PUT', `/v1/delete-tasks/${taskId}`, {
      name: 'shortened',
      selection: { attribute: { key: 'retentionScope', value: scope } },
      retentionSeconds: 1,
    });
    expect(changed.status).toBe(200);
    await untilDeleted(plain);
    expect(await retention(extended)).toMatchObject({ state: 'captured', deleteAt: until });
  });
});
