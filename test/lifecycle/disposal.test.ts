import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRecords, disposalLedger } from '../../src/db/schema/index.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
const taskIds: string[] = [];
beforeAll(async () => {
  harness = await createHarness();
  await ensureTags(harness, [{ name: 'MIFID_5Y', protectionYears: 5 }]);
});
afterAll(async () => {
  for (const id of taskIds) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await harness?.close();
});

async function capture(attributes: Record<string, string>, startedAt = new Date()): Promise<string> {
  const at = startedAt.toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: at, LastUpdateTimestamp: at, Attributes: attributes }));
  return posted.body.results[0].conversationId;
}

describe('anonymisation (GDPR erasure)', () => {
  it('is refused with the reason under a legal hold and under MiFID protection, and applied otherwise', async () => {
    const held = await capture({ customerName: 'Ada Lovelace' });
    await harness.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'litigation' });
    const refusedHold = await harness.http('POST', `/v1/conversations/${held}/anonymisation`, { reason: 'GDPR art. 17 request', requestReference: 'DSR-1' });
    expect(refusedHold.status).toBe(409);
    expect(refusedHold.body.detail).toMatch(/legal hold/);

    const protectedOne = await capture({ customerName: 'Grace Hopper' });
    await harness.http('POST', `/v1/conversations/${protectedOne}/tags`, { name: 'MIFID_5Y' });
    const refusedProtection = await harness.http('POST', `/v1/conversations/${protectedOne}/anonymisation`, { reason: 'GDPR art. 17 request' });
    expect(refusedProtection.status).toBe(409);
    expect(refusedProtection.body.detail).toMatch(/MiFID II/);
    expect((await harness.http('GET', `/v1/conversations/${protectedOne}`)).body.attributes.customerName).toBe('Grace Hopper');

    const plain = await capture({ customerName: 'Alan Turing' });
    const applied = await harness.http('POST', `/v1/conversations/${plain}/anonymisation`, { reason: 'GDPR art. 17 request', requestReference: 'DSR-3' });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ anonymised: true, destroyed: 1 });
    const after = await harness.http('GET', `/v1/conversations/${plain}`);
    expect(after.body).toMatchObject({ customerAddress: null, agentUsername: null, attributes: {}, legs: [], channel: 'VOICE' });
    expect(after.body.startedAt).not.toBeNull();
    expect(await harness.db.select().from(contactRecords).where(eq(contactRecords.conversationId, plain))).toEqual([]);
  });
});

describe('disposal ledger and report', () => {
  it('lists exactly what was deleted, each with its audit-chain entry; the ledger cannot be edited', async () => {
    const scope = uniqueId('disposal');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'disposal test', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 2 });
    taskIds.push(task.body.id);
    const from = new Date().toISOString();
    const doomed = [await capture({ retentionScope: scope }), await capture({ retentionScope: scope })];
    const kept = await capture({ retentionScope: `${scope}-other` });
    for (const id of doomed) {
      await eventually(async () => ((await harness.http('GET', `/v1/conversations/${id}/retention`)).body.status === 'deleted' ? true : undefined));
    }
    const report = await harness.http('GET', `/v1/disposals?from=${encodeURIComponent(from)}&limit=1000`);
    expect(report.status).toBe(200);
    const mine = report.body.items.filter((item: { conversationId: string }) => [...doomed, kept].includes(item.conversationId));
    expect(mine.map((item: { conversationId: string }) => item.conversationId).sort()).toEqual([...doomed].sort());
    for (const item of mine) {
      expect(item).toMatchObject({ kind: 'deletion', deleteTaskId: task.body.id, auditEntry: { activity: 'CONVERSATION_DELETED' } });
      expect(item.auditEntry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(item.destroyed[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    // drizzle wraps the database's refusal; the reason is in the cause.
    const refusedByDatabase = (error: unknown) => /append-only/.test(String((error as { cause?: Error }).cause?.message ?? error));
    await expect(harness.db.execute(sql`update disposal_ledger set reason = 'edited' where conversation_id = ${doomed[0]!}`)).rejects.toSatisfy(refusedByDatabase);
    await expect(harness.db.delete(disposalLedger).where(eq(disposalLedger.conversationId, doomed[1]!))).rejects.toSatisfy(refusedByDatabase);
  });

  it('forecasts how many conversations fall due per month', async () => {
    const scope = uniqueId('forecast');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'forecast test', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionDays: 40 });
    taskIds.push(task.body.id);
    const before = await harness.http('GET', '/v1/retention/forecast?months=3');
    const id = await capture({ retentionScope: scope });
    const dueMonth = (await eventually(async () => (await harness.http('GET', `/v1/conversations/${id}/retention`)).body.deleteAt ?? undefined)).slice(0, 7);
    await eventually(async () => {
      const after = await harness.http('GET', '/v1/retention/forecast?months=3');
      const count = (body: { months: { month: string; due: number }[] }) => body.months.find((month) => month.month === dueMonth)?.due ?? 0;
      return count(after.body) > count(before.body) ? true : undefined;
    });
  });
});
