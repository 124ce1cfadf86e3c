import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { openPglite } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { createIdentity } from '../support/identities.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('a contact record of a deleted conversation', () => {
  it('answers 410 alone and `disposed` in a batch, once the lifecycle has closed', async () => {
    const scope = uniqueId('edge-delete');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: scope, selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    const now = new Date().toISOString();
    const record = contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { retentionScope: scope } });
    const posted = await harness.http('POST', '/v1/contact-records', record);
    const conversationId: string = posted.body.results[0].conversationId;
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
    const handle = harness.client.workflow.getHandle(conversationWorkflowId(conversationId));
    await eventually(async () => ((await handle.describe()).status.name === 'RUNNING' ? undefined : true));

    const resent = { ...record, LastUpdateTimestamp: new Date(Date.now() + 5_000).toISOString() };
    const alone = await harness.http('POST', '/v1/contact-records', resent);
    expect(alone.status, JSON.stringify(alone.body)).toBe(410);
    expect(alone.headers.get('content-type')).toContain('application/problem+json');
    const batch = await harness.http('POST', '/v1/contact-records', [resent, contactRecord()]);
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((result: { status: string }) => result.status)).toEqual(['disposed', 'created']);
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
  });
});

describe('attribute sizes', () => {
  it('refuse a 5 MB attribute at once, naming the field, and store nothing', async () => {
    const record = contactRecord({ Attributes: { notes: 'x'.repeat(5 * 1024 * 1024) } });
    const answer = await harness.http('POST', '/v1/contact-records', record);
    expect(answer.status).toBe(422);
    expect(answer.body.errors[0].field).toMatch(/^Attributes/);
    const search = await harness.http('GET', `/v1/conversations?q=${record.ContactId as string}`);
    expect(search.body.items ?? []).toEqual([]);
  });

  it('keep a record whose attributes are of a real size', async () => {
    const answer = await harness.http('POST', '/v1/contact-records', contactRecord({ Attributes: { notes: 'x'.repeat(30_000), tier: 'gold' } }));
    expect(answer.status).toBe(200);
    expect(answer.body.results[0].status).toBe('created');
  });
});

describe('admins', () => {
  it('cannot remove the admin role from, or disable, the last enabled admin', async () => {
    // A database of its own: "the last admin" is a fact about every user, and other test files add admins.
    const own = await openPglite(undefined);
    await applyMigrations(own);
    try {
      const app = createApp({ db: own.db, temporal: { client: harness.client, taskQueue: harness.taskQueue }, media: harness.media });
      const lone = await createIdentity(own.db, 'admin');
      const call = (method: string, path: string, body?: unknown) =>
        app.request(path, { method, headers: { authorization: `Bearer ${lone.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

      const demoted = await call('PUT', `/v1/users/${lone.userId}/roles`, { roles: ['auditor'] });
      expect(demoted.status).toBe(409);
      expect(await auditTrailOf(own.db, demoted.headers.get('x-request-id'))).toEqual(['UPDATE_CUSTOM_ROLE:SYNC:FAIL']);
      expect((await call('POST', `/v1/users/${lone.userId}/disable`, { reason: 'leaving' })).status).toBe(409);
      expect((await call('GET', '/v1/me')).status).toBe(200);

      // With a second admin, the role can go.
      const second = await createIdentity(own.db, 'admin');
      expect((await call('PUT', `/v1/users/${lone.userId}/roles`, { roles: ['auditor', 'admin'] })).status).toBe(200);
      expect((await call('PUT', `/v1/users/${second.userId}/roles`, { roles: ['auditor'] })).status).toBe(200);
      expect((await call('POST', `/v1/users/${second.userId}/enable`, { reason: 'no-op' })).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('disable a user through the API, audited; the user is shut out until enabled again', async () => {
    const agent = await harness.identityFor('agent');
    expect((await harness.as(agent.token).http('GET', '/v1/me')).status).toBe(200);
    const disabled = await harness.http('POST', `/v1/users/${agent.userId}/disable`, { reason: 'left the firm' });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).not.toBeNull();
    expect(await auditTrailOf(harness.db, disabled.headers.get('x-request-id'))).toEqual(['EDIT_USER:SYNC:OK']);
    expect((await harness.as(agent.token).http('GET', '/v1/me')).status).toBe(401);
    const enabled = await harness.http('POST', `/v1/users/${agent.userId}/enable`, { reason: 'rehired' });
    expect(enabled.body.disabledAt).toBeNull();
    expect((await harness.as(agent.token).http('GET', '/v1/me')).status).toBe(200);
  });
});

describe('retention extensions', () => {
  it('into the past are refused, naming the field, and change nothing', async () => {
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord());
    const conversationId: string = posted.body.results[0].conversationId;
    const before = await harness.http('GET', `/v1/conversations/${conversationId}/retention`);
    const answer = await harness.http('POST', `/v1/conversations/${conversationId}/retention-extensions`, { until: '2020-01-01T00:00:00Z', reason: 'authority request' });
    expect(answer.status).toBe(422);
    expect(answer.body.errors[0].field).toBe('until');
    expect((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body).toEqual(before.body);
  });
});
