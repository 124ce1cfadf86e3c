import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/index.js';
import { auditEntriesOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';

/** A real identity provider's key set, served over HTTP the way the engine fetches it. */
const ISSUER = 'https://idp.example.test/realms/recordkeeper';
const AUDIENCE = 'recordkeeper-api';
const KID = 'test-key-1';
const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
const impostor = await generateKeyPair('RS256');
const jwksServer = http.createServer(async (_request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] }));
});
await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/certs`;

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness({
    apiDeps: { oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl, rolesClaim: 'realm_access.roles', usernameClaim: 'preferred_username' } },
  });
});
afterAll(async () => {
  await harness?.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});

function jwt(claims: JWTPayload, options: { issuer?: string; audience?: string; expiresIn?: string | number; key?: Parameters<SignJWT['sign']>[0] } = {}) {
  return new SignJWT({ preferred_username: `oidc-${randomUUID().slice(0, 8)}`, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject(randomUUID())
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey);
}

describe('OIDC bearer tokens', () => {
  it('accepts a token from the configured provider, taking roles from its (nested) roles claim', async () => {
    const token = await jwt({ preferred_username: 'oidc-auditor', name: 'Olga Auditor', realm_access: { roles: ['auditor', 'offline_access'] } });
    const me = await harness.as(token).http('GET', '/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'oidc-auditor', fullName: 'Olga Auditor', roles: ['auditor'] });

    const refused = await harness.as(token).http('GET', '/v1/users');
    expect(refused.status).toBe(403);
    const entries = await auditEntriesOf(harness.db, refused.headers.get('x-request-id')!);
    expect(entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result}:${entry.actorUsername}`)).toEqual([
      'USER_LIST:BEGIN:null:oidc-auditor',
      'USER_LIST:END:UNAUTHORIZED:oidc-auditor',
    ]);
  });

  it('uses the matching user row for id, groups and time zone, and shuts out a disabled user', async () => {
    const row = await harness.identityFor('agent', { groupNames: ['desk-9'], timeZone: 'Europe/Paris' });
    const token = await jwt({ preferred_username: row.username, realm_access: { roles: ['supervisor'] } });
    const me = await harness.as(token).http('GET', '/v1/me');
    expect(me.body).toMatchObject({ userId: row.userId, username: row.username, roles: ['supervisor'], groupNames: ['desk-9'], timeZone: 'Europe/Paris' });

    await harness.db.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, row.userId));
    const refused = await harness.as(token).http('GET', '/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/disabled/);
  });

  it.each([
    ['another audience', () => jwt({}, { audience: 'some-other-service' })],
    ['another issuer', () => jwt({}, { issuer: 'https://evil.example.test' })],
    ['an expired token', () => jwt({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })],
    ['a key the provider does not publish', () => jwt({}, { key: impostor.privateKey })],
    [
      'a shared-secret (HS256) signature',
      () =>
        new SignJWT({ preferred_username: 'mallory', realm_access: { roles: ['admin'] } })
          .setProtectedHeader({ alg: 'HS256', kid: KID })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject('mallory')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode('a-secret-anyone-could-guess-0123456789')),
    ],
    ['an unsigned token', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, preferred_username: 'mallory', realm_access: { roles: ['admin'] } })).toString('base64url')}.`],
  ])('refuses %s with 401', async (_name, makeToken) => {
    const answer = await harness.as(await makeToken()).http('GET', '/v1/me');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('gives a provider user without a user row empty lists of their own reviews and trainings, not an error', async () => {
    const token = await jwt({ realm_access: { roles: ['agent', 'evaluator'] } });
    const trainings = await harness.as(token).http('GET', '/v1/training-assignments?assigneeUserId=me');
    expect(trainings.status).toBe(200);
    expect(trainings.body.items).toEqual([]);
    const reviews = await harness.as(token).http('GET', '/v1/reviews');
    expect(reviews.status).toBe(200);
    expect(reviews.body.items).toEqual([]);
  });

  it('still accepts API tokens next to OIDC', async () => {
    expect((await harness.http('GET', '/v1/me')).body.username).toBe(harness.admin.username);
  });
});
