import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, legalHolds } from '../../src/db/schema/index.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { ensureTags, eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

/**
 * Four-eyes release of legal holds: one person asks, and sees beforehand what the release lets go at once;
 * another person with the role approves it within the time limit; only then are the holds released.
 */
const { harness, deleteTasks } = await lifecycleHarness();
const PROTECTED_TAG = 'FOUR_EYES_MIFID_5Y';
await ensureTags(harness, [{ name: PROTECTED_TAG, protectionYears: 5 }]);

/** Conversations dated weeks ago and held, then put under a delete task whose window has passed. */
async function heldAndOverdue(count: number, options: { protectFirst?: boolean } = {}) {
  const scope = uniqueId('four-eyes');
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Attributes: { fourEyesScope: scope } }));
    ids.push(posted.body.results[0].conversationId);
  }
  if (options.protectFirst) expect((await harness.http('POST', `/v1/conversations/${ids[0]}/tags`, { name: PROTECTED_TAG })).status).toBe(200);
  const hold = await harness.http('POST', '/v1/legal-holds', { reason: 'matter 2026-207', reference: null, query: { 'attr.fourEyesScope': scope } });
  expect(hold.body).toMatchObject({ held: count });
  const task = await harness.http('POST', '/v1/delete-tasks', { name: `four eyes ${scope}`, selection: { attribute: { key: 'fourEyesScope', value: scope } }, retentionSeconds: 3600 });
  deleteTasks.push(task.body.id);
  return { ids, holdGroupId: hold.body.holdGroupId as string };
}

const status = async (id: string) => (await harness.http('GET', `/v1/conversations/${id}/retention`)).body.status as string;

describe('releasing a legal hold takes two people', () => {
  it('is only requested by the first, with a report of what becomes due at once; the requester cannot approve; a second person releases', async () => {
    const requester = harness.as(await harness.tokenFor('compliance-analyst'));
    const approver = harness.as(await harness.tokenFor('cc-manager'));
    const { ids, holdGroupId } = await heldAndOverdue(2, { protectFirst: true });
    const [protectedOne, unprotected] = ids as [string, string];

    const requested = await requester.http('POST', `/v1/legal-holds/${holdGroupId}/release`, { reason: 'matter settled' });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toMatchObject({ status: 'pending', holdGroupId, approvedBy: null, report: { holds: 2, conversations: 2, dueAtOnce: 1 } });
    expect(requested.body.report.dueAtOnceSample.map((item: { conversationId: string }) => item.conversationId)).toEqual([unprotected]);
    expect(await auditTrailOf(harness.db, requested.headers.get('x-request-id'))).toEqual(['LEGAL_HOLD_RELEASE_REQUEST:SYNC:OK']);
    const { requestId } = requested.body;
    expect((await approver.http('GET', '/v1/legal-hold-releases?limit=500')).body.items.map((item: { requestId: string }) => item.requestId)).toContain(requestId);

    // Asking releases nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await status(unprotected)).toBe('held');

    const own = await requester.http('POST', `/v1/legal-hold-releases/${requestId}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.title).toBe('FourEyesRequired');
    expect(await auditTrailOf(harness.db, own.headers.get('x-request-id'))).toEqual(['LEGAL_HOLD_RELEASE_APPROVE:SYNC:UNAUTHORIZED']);
    const agent = harness.as(await harness.tokenFor('agent'));
    expect((await agent.http('POST', `/v1/legal-hold-releases/${requestId}/approve`)).status).toBe(403);
    expect(await status(unprotected)).toBe('held');

    const approved = await approver.http('POST', `/v1/legal-hold-releases/${requestId}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', released: 2, requestedBy: expect.any(String), approvedBy: expect.any(String) });
    expect(approved.body.approvedBy).not.toBe(approved.body.requestedBy);
    // What the report said would go, goes; the protected one stays.
    await eventually(async () => ((await status(unprotected)) === 'deleted' ? true : undefined));
    expect(await status(protectedOne)).toBe('due');
    const releases = await harness.db.select().from(legalHolds).where(sql`${legalHolds.scope}->>'holdGroupId' = ${holdGroupId}`);
    expect(releases.every((hold) => hold.releasedAt !== null && /requested by .*approved by/.test(hold.releaseReason ?? ''))).toBe(true);
    const approvals = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'LEGAL_HOLD_RELEASE_APPROVE'), eq(auditLog.result, 'OK'), sql`${auditLog.details}->>'requestId' = ${requestId}`));
    expect(approvals).toHaveLength(1);
  });

  it('cannot be approved once the request expired; the hold stays', async () => {
    const { ids } = await heldAndOverdue(1);
    const [conversationId] = ids as [string];
    const [hold] = await harness.db.select().from(legalHolds).where(eq(legalHolds.conversationId, conversationId));
    const requested = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds/${hold!.id}/release`, { reason: 'matter settled' });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toMatchObject({ conversationId, report: { holds: 1, dueAtOnce: 1 } });
    await harness.db.execute(sql`update legal_hold_releases set expires_at = now() - interval '1 second' where id = ${requested.body.requestId}::uuid`);

    const late = await harness.as(await harness.tokenFor('compliance-analyst')).http('POST', `/v1/legal-hold-releases/${requested.body.requestId}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.title).toBe('ReleaseRequestExpired');
    expect((await harness.http('GET', `/v1/legal-hold-releases/${requested.body.requestId}`)).body.status).toBe('expired');
    expect(await status(conversationId)).toBe('held');
  });
});
