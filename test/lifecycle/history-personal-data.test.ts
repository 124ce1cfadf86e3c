import { randomInt } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { holdContactRecords } from '../../src/contact-records/held-deliveries.js';
import { contactRecordDeliveries, contactRecords, disposalLedger } from '../../src/db/schema/index.js';
import { canonicalJson, sha256Hex } from '../../src/lib/digest.js';
import { captureContactRecordUpdate, conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
const taskIds: string[] = [];
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  for (const id of taskIds) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await harness?.close();
});

const heldRows = (conversationId: string) => harness.db.select().from(contactRecordDeliveries).where(eq(contactRecordDeliveries.conversationId, conversationId));

/**
 * A history as text twice over: the CLI's JSON form (payload data base64) and every byte field decoded as
 * UTF-8 (payload data is JSON), so a string is found whichever way it was written.
 */
function historyText(history: temporal.api.history.v1.IHistory): string {
  const decoded: string[] = [];
  // Walked by hand: JSON.stringify would turn a Buffer into its byte values before any replacer saw it.
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) decoded.push(Buffer.from(value).toString('utf8'));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    else if (typeof value === 'string') decoded.push(value);
  };
  walk(history);
  return `${historyToJSON(history)}\n${decoded.join('\n')}`;
}

/** Every run of the conversation's lifecycle, closed ones included, by the chain of continued-as-new runs. */
async function lifecycleHistories(conversationId: string): Promise<temporal.api.history.v1.IHistory[]> {
  const workflowId = conversationWorkflowId(conversationId);
  const histories: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = (await harness.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await harness.client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  return histories;
}

describe('personal data in Temporal histories', () => {
  it('leaves none of the customer data in any run of the lifecycle after anonymisation, nor the raw record in storage', async () => {
    const tag = uniqueId('HISTORY_PD').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const phone = `+4479${randomInt(10_000_000, 99_999_999)}`;
    const email = `${uniqueId('erasure')}@customer.example`;
    const name = `Quentin ${uniqueId('Zebulon')}`;
    const now = Date.now();
    const record = contactRecord({
      InitiationTimestamp: new Date(now).toISOString(),
      LastUpdateTimestamp: new Date(now).toISOString(),
      CustomerEndpoint: { Address: phone, Type: 'TELEPHONE_NUMBER' },
      Attributes: { customerName: name, customerEmail: email },
    });
    const first = await harness.http('POST', '/v1/contact-records', record);
    expect(first.body.results[0]?.status, JSON.stringify(first.body)).toBe('created');
    const conversationId: string = first.body.results[0].conversationId;
    // A newer copy, an identical replay of it, and a tag: the update, duplicate and tag paths all leave history.
    const newer = { ...record, LastUpdateTimestamp: new Date(now + 1000).toISOString(), Attributes: { customerName: name, customerEmail: email, note: `call back on ${phone}` } };
    expect((await harness.http('POST', '/v1/contact-records', [newer])).body.results[0]?.status).toBe('updated');
    expect((await harness.http('POST', '/v1/contact-records', newer)).body.results[0]?.status).toBe('duplicate');
    expect((await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: '1' })).status).toBeLessThan(300);

    const anonymised = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'GDPR art. 17 request', requestReference: 'DSR-history' });
    expect(anonymised.status, JSON.stringify(anonymised.body)).toBe(200);
    expect(anonymised.body).toMatchObject({ anonymised: true });

    // Anonymisation rotates the history: wait for the closed run and the one it continued into.
    const histories = await eventually(async () => {
      const runs = await lifecycleHistories(conversationId);
      return runs.length >= 2 ? runs : undefined;
    });
    const texts = histories.map(historyText);
    // The search would prove nothing if the decoding missed the payloads: the tag's name is only in them.
    expect(texts.some((text) => text.includes(tag))).toBe(true);
    expect(texts.every((text) => text.includes(record.ContactId as string))).toBe(true);
    for (const text of texts) {
      for (const personal of [phone, phone.slice(1), email, name]) expect(text, `history holds ${personal}`).not.toContain(personal);
    }

    expect(await harness.db.select().from(contactRecords).where(eq(contactRecords.conversationId, conversationId))).toEqual([]);
    expect(await heldRows(conversationId)).toEqual([]);
    const anywhere = await queryRows<{ n: number }>(
      harness.db,
      sql`select (select count(*) from contact_records where record::text like ${`%${phone}%`})
               + (select count(*) from contact_record_deliveries where record::text like ${`%${phone}%`}) as n`,
    );
    expect(Number(anywhere[0]?.n)).toBe(0);
  }, 120_000);

  it('erases with the conversation a record delivered but not stored yet, and lists it in the disposal ledger', async () => {
    const first = contactRecord({ Attributes: { customerName: 'Held Customer' } });
    const posted = await harness.http('POST', '/v1/contact-records', first);
    const conversationId: string = posted.body.results[0].conversationId;
    // A transfer leg whose update has not reached the lifecycle yet: the API has held it, nothing has taken it.
    const leg = contactRecord({ InitialContactId: first.ContactId, Attributes: { customerName: 'Held Customer' } });
    const sha256 = sha256Hex(canonicalJson(leg));
    await holdContactRecords(harness.db, [{ payloadSha256: sha256, conversationId, contactId: leg.ContactId as string, record: leg }]);

    const anonymised = await harness.http('POST', `/v1/conversations/${conversationId}/anonymisation`, { reason: 'GDPR art. 17 request' });
    expect(anonymised.body).toMatchObject({ anonymised: true, destroyed: 2 });
    expect(await heldRows(conversationId)).toEqual([]);
    const [ledger] = await harness.db.select({ destroyed: disposalLedger.destroyed }).from(disposalLedger).where(eq(disposalLedger.conversationId, conversationId));
    expect(ledger?.destroyed).toContainEqual({ what: `held-contact-record:${leg.ContactId as string}`, sha256 });
  }, 60_000);

  it('keeps no held copy of a record refused because its conversation was deleted', async () => {
    const scope = uniqueId('held-disposed');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'held record test', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    taskIds.push(task.body.id);
    const now = Date.now();
    const record = contactRecord({ InitiationTimestamp: new Date(now).toISOString(), LastUpdateTimestamp: new Date(now).toISOString(), Attributes: { retentionScope: scope } });
    const conversationId: string = (await harness.http('POST', '/v1/contact-records', record)).body.results[0].conversationId;
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));

    const late = await harness.http('POST', '/v1/contact-records', [{ ...record, LastUpdateTimestamp: new Date(now + 1000).toISOString() }]);
    expect(late.body.results[0]?.status).toBe('disposed');
    expect(await heldRows(conversationId)).toEqual([]);
  }, 60_000);

  it('still stores a record sent in the update itself, as updates sent before capture by reference do', async () => {
    const record = contactRecord();
    const posted = await harness.http('POST', '/v1/contact-records', record);
    const conversationId: string = posted.body.results[0].conversationId;
    const newer = { ...record, LastUpdateTimestamp: new Date(Date.parse(record.LastUpdateTimestamp as string) + 1000).toISOString() };
    const context = { correlationId: uniqueId('legacy'), actor: { type: 'system' as const, id: 'legacy-feed', username: 'legacy-feed', fullName: 'Legacy feed' } };
    const handle = harness.client.workflow.getHandle(conversationWorkflowId(conversationId));
    expect(await handle.executeUpdate(captureContactRecordUpdate, { args: [{ context, record: newer }] })).toMatchObject({ outcome: 'updated' });
    const [stored] = await harness.db.select({ digest: contactRecords.payloadSha256 }).from(contactRecords).where(eq(contactRecords.contactId, record.ContactId as string));
    expect(stored?.digest).toBe(sha256Hex(canonicalJson(newer)));
  }, 60_000);
});
