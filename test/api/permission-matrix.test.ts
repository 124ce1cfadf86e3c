import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../src/api/permissions.js';
import { ROLES, type Role } from '../../src/domain/roles.js';
import { activityDefinition } from '../../src/domain/audit-catalogue.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import { operationsOf, sampleOf, samplePath, type OpenApiDocument, type Operation } from '../support/openapi-samples.js';

/**
 * Every operation of the served OpenAPI document, called by every role and by every kind of bad token.
 * The document is read from the running app, so a route added without a permission rule fails here.
 */
const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const spec = (await harness.as(null).http('GET', '/openapi.json')).body as OpenApiDocument;
const operations = operationsOf(spec);
/** Routes served outside the OpenAPI document itself. */
const UNDOCUMENTED_ROUTES = ['GET /openapi.json', 'GET /docs'];

const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await harness.tokenFor(role)] as const))) as Record<Role, string>;
const badCredentials: Record<string, string | null> = {
  'no token': null,
  'expired token': `Bearer ${await harness.tokenFor('admin', { expiresAt: new Date(Date.now() - 60_000) })}`,
  'revoked token': `Bearer ${await harness.tokenFor('admin', { revoked: true })}`,
  'malformed token': 'Bearer not a token',
  'unknown token': `Bearer rk_${'A'.repeat(43)}`,
  'wrong scheme': `Basic ${Buffer.from('admin:admin').toString('base64')}`,
};

/** Bodies that reach the handler where a generated sample would not (or would collide between calls). */
const SAMPLE_BODIES: Record<string, () => unknown> = {
  'POST /v1/contact-records': () => contactRecord({ Agent: { Username: `matrix-${randomUUID().slice(0, 8)}` } }),
  'POST /v1/users': () => ({ username: `matrix-${randomUUID().slice(0, 8)}`, fullName: 'Matrix User', roles: ['agent'] }),
};

function call(operation: Operation, authorization: string | null) {
  const body = SAMPLE_BODIES[operation.key]?.() ?? (operation.bodySchema ? sampleOf(spec, operation.bodySchema) : undefined);
  return harness.http(operation.method, samplePath(spec, operation), body, { authorization: authorization ?? '' });
}

/** A refusal is audited under the route's activity: one SYNC entry, or BEGIN and END for an asynchronous one. */
function expectedRefusalTrail(activity: string): string[] {
  return activityDefinition(activity).kind === 'sync'
    ? [`${activity}:SYNC:UNAUTHORIZED`]
    : [`${activity}:BEGIN:null`, `${activity}:END:UNAUTHORIZED`];
}

describe('the permission table', () => {
  it('has a rule for every operation of the served OpenAPI document', () => {
    const unruled = operations.map((operation) => operation.key).filter((key) => !ROUTE_PERMISSIONS[key]);
    expect(unruled, 'operations without a permission rule in src/api/permissions.ts').toEqual([]);
  });

  it('has no rule for a route that does not exist (a typo there would refuse the real route)', () => {
    const served = new Set([...operations.map((operation) => operation.key), ...UNDOCUMENTED_ROUTES]);
    expect(Object.keys(ROUTE_PERMISSIONS).filter((key) => !served.has(key))).toEqual([]);
  });

  it('names a catalogue activity for every protected route, so refusals can be audited', () => {
    for (const [key, rule] of Object.entries(ROUTE_PERMISSIONS)) {
      if (rule.roles === 'public') continue;
      expect(rule.activity, key).toBeDefined();
      expect(() => activityDefinition(rule.activity!), key).not.toThrow();
    }
  });
});

describe.each(operations.map((operation) => [operation.key, operation] as const))('%s', (key, operation) => {
  const rule = ROUTE_PERMISSIONS[key];

  if (rule?.roles === 'public') {
    it('answers anyone, with or without a token', async () => {
      for (const authorization of Object.values(badCredentials)) {
        const answer = await call(operation, authorization);
        expect([401, 403], `${key} with ${authorization}`).not.toContain(answer.status);
      }
    });
    return;
  }

  it.each(ROLES.map((role) => [role] as const))('as %s', async (role) => {
    const answer = await call(operation, `Bearer ${tokens[role]}`);
    const allowed = rule !== undefined && rule.roles.includes(role);
    if (allowed) {
      expect([401, 403], `${role} may call ${key}: ${JSON.stringify(answer.body)}`).not.toContain(answer.status);
      expect(answer.status, `${role} on ${key}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
      return;
    }
    expect(answer.status, `${role} may not call ${key}`).toBe(403);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const trail = await auditTrailOf(harness.db, answer.headers.get('x-request-id'));
    expect(trail).toEqual(expectedRefusalTrail(rule?.activity ?? 'ACCESS_DENIED'));
  });

  it.each(Object.keys(badCredentials).map((name) => [name] as const))('with %s', async (name) => {
    const answer = await call(operation, badCredentials[name]!);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="recordkeeper"/);
    const trail = await auditTrailOf(harness.db, answer.headers.get('x-request-id'));
    expect(trail).toEqual(expectedRefusalTrail(rule?.activity ?? 'ACCESS_DENIED'));
  });
});
