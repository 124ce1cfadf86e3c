import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, auditLog, users } from '../../src/db/schema/index.js';
import { hashApiToken } from '../../src/identity/api-token-secret.js';
import { SESSION_IDLE_MS } from '../../src/identity/api-tokens.js';
import { auditEntriesOf, auditTrailOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const requestIdOf = (answer: { headers: Headers }) => answer.headers.get('x-request-id');

async function createUser(body: Record<string, unknown>) {
  const answer = await harness.http('POST', '/v1/users', { fullName: 'Someone', roles: ['agent'], ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string; username: string };
}

describe('users and API tokens', () => {
  it('issues a token that is shown once, stored only as a hash, works at once and stops working when revoked', async () => {
    const user = await createUser({ username: unique('feed'), fullName: 'Contact-center feed', roles: ['integration'] });
    const issued = await harness.http('POST', `/v1/users/${user.id}/tokens`, { name: 'feed', expiresInDays: 30 });
    expect(issued.status).toBe(201);
    const token: string = issued.body.token;
    expect(token).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(issued.body.prefix)).toBe(true);

    const [row] = await harness.db.select().from(apiTokens).where(eq(apiTokens.id, issued.body.id));
    expect(row?.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await harness.http('GET', `/v1/users/${user.id}/tokens`);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: issued.body.id, prefix: issued.body.prefix, revokedAt: null })]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    // The token is in no audit entry either: the audit log is read by more people than admins.
    const issueAudit = await auditEntriesOf(harness.db, requestIdOf(issued)!);
    expect(issueAudit.map((entry) => `${entry.activity}:${entry.result}:${entry.actorUsername}`)).toEqual([`CLIENT_REGISTER:OK:${harness.admin.username}`]);
    expect(JSON.stringify(issueAudit.map((entry) => [entry.description, entry.details]))).not.toContain(token);

    const me = await harness.as(token).http('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: user.id, username: user.username, fullName: 'Contact-center feed', roles: ['integration'], timeZone: 'UTC' });

    // The first use starts a session, audited once as a LOGIN of the token's user; the next use does not.
    const logins = async () =>
      (await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'LOGIN'), eq(auditLog.actorId, user.id))).orderBy(asc(auditLog.chainSeq))).map((entry) => ({
        correlationId: entry.correlationId,
        details: entry.details,
      }));
    expect(await logins()).toEqual([{ correlationId: requestIdOf(me), details: { tokenId: issued.body.id, tokenName: 'feed', previousUse: null } }]);
    expect((await harness.as(token).http('GET', '/v1/me')).status).toBe(200);
    expect(await logins()).toHaveLength(1);
    // Idle for longer than a session lasts: the next use is a new session.
    await harness.db.update(apiTokens).set({ lastUsedAt: new Date(Date.now() - SESSION_IDLE_MS - 60_000) }).where(eq(apiTokens.id, issued.body.id));
    const afterIdle = await harness.as(token).http('GET', '/v1/me');
    expect((await logins()).map((login) => login.correlationId)).toEqual([requestIdOf(me), requestIdOf(afterIdle)]);

    const revoked = await harness.http('DELETE', `/v1/users/${user.id}/tokens/${issued.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    expect(await auditTrailOf(harness.db, requestIdOf(revoked))).toEqual(['REVOKE_GRANT:SYNC:OK']);

    const refused = await harness.as(token).http('GET', '/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The refusal names whose revoked token was presented.
    const [refusal] = await auditEntriesOf(harness.db, requestIdOf(refused)!);
    expect(refusal).toMatchObject({ activity: 'VALIDATE_ACCESS_TOKEN', result: 'UNAUTHORIZED', actorId: user.id, actorUsername: user.username });

    const again = await harness.http('DELETE', `/v1/users/${user.id}/tokens/${issued.body.id}`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('refuses an expired token', async () => {
    const token = await harness.tokenFor('auditor', { expiresAt: new Date(Date.now() - 1000) });
    const answer = await harness.as(token).http('GET', '/v1/me');
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/expired/);
  });

  it('applies a role change to the very next request of an existing token, and audits what was added and removed', async () => {
    const identity = await harness.identityFor('agent');
    const caller = harness.as(identity.token);
    expect((await caller.http('GET', '/v1/users')).status).toBe(403);

    const changed = await harness.http('PUT', `/v1/users/${identity.userId}/roles`, { roles: ['admin', 'auditor'] });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(['admin', 'auditor']);
    const [entry] = await auditEntriesOf(harness.db, requestIdOf(changed)!);
    expect(entry).toMatchObject({ activity: 'UPDATE_CUSTOM_ROLE', phase: 'SYNC', result: 'OK' });
    expect(entry?.details).toMatchObject({ added: ['admin', 'auditor'], removed: ['agent'] });

    expect((await caller.http('GET', '/v1/users')).status).toBe(200);
    await harness.http('PUT', `/v1/users/${identity.userId}/roles`, { roles: [] });
    expect((await caller.http('GET', '/v1/users')).status).toBe(403);
  });

  it('refuses a taken username with 409 naming the field, audited as a failed registration', async () => {
    const username = unique('twice');
    await createUser({ username });
    const second = await harness.http('POST', '/v1/users', { username, fullName: 'Other', roles: ['agent'] });
    expect(second.status).toBe(409);
    expect(second.body.errors).toEqual([expect.objectContaining({ field: 'username' })]);
    expect(await auditTrailOf(harness.db, requestIdOf(second))).toEqual(['REGISTER:SYNC:FAIL']);
    expect(await harness.db.select().from(users).where(eq(users.username, username))).toHaveLength(1);
  });

  it('names the offending fields of an invalid user and stores nothing', async () => {
    const username = unique('bad');
    const answer = await harness.http('POST', '/v1/users', { username, fullName: 'X', roles: ['superuser'], timeZone: 'Mars/Olympus' });
    expect(answer.status).toBe(422);
    expect(answer.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['roles.0', 'timeZone']);
    expect(await harness.db.select().from(users).where(eq(users.username, username))).toHaveLength(0);
  });

  it('answers unknown users and tokens with 404', async () => {
    expect((await harness.http('POST', `/v1/users/${randomUUID()}/tokens`, { name: 'x' })).status).toBe(404);
    expect((await harness.http('PUT', `/v1/users/${randomUUID()}/roles`, { roles: ['agent'] })).status).toBe(404);
    expect((await harness.http('GET', `/v1/users/${randomUUID()}/tokens`)).status).toBe(404);
    expect((await harness.http('DELETE', `/v1/users/${harness.admin.userId}/tokens/${randomUUID()}`)).status).toBe(404);
  });

  it('lists every user exactly once, in username order, page by page; the listing is audited', async () => {
    const prefix = unique('page');
    for (const suffix of ['c', 'a', 'e', 'b', 'd']) await createUser({ username: `${prefix}-${suffix}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await harness.http('GET', `/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((user: { username: string }) => user.username));
      cursor = answer.body.nextCursor;
      pages += 1;
      if (pages === 1) expect(await auditTrailOf(harness.db, requestIdOf(answer))).toEqual(['USER_LIST:BEGIN:null', 'USER_LIST:END:OK']);
    } while (cursor && pages < 1000);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((name) => name.startsWith(prefix))).toEqual(['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}-${suffix}`));
  });

  it('refuses a page size above the maximum and a cursor it did not issue', async () => {
    expect((await harness.http('GET', '/v1/users?limit=100000')).status).toBe(422);
    const forged = Buffer.from(JSON.stringify({ after: 1 })).toString('base64url');
    const answer = await harness.http('GET', `/v1/users?cursor=${forged}`);
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});
