import { and, eq, gte, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiDeps } from '../../src/api/deps.js';
import { ROUTE_PERMISSIONS, type RoutePermission } from '../../src/api/permissions.js';
import { auditLog } from '../../src/db/schema/index.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { appOnHarness, createHarness, type Harness } from '../support/harness.js';
import { eventually } from '../support/lifecycle.js';

/** What a caller sends that the engine must not take on trust: request ids, floods of bad tokens, failing queries. */
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const appWith = (extra: Partial<ApiDeps> = {}) => appOnHarness(harness, extra);

const countByCorrelation = async (correlationId: string) =>
  (await harness.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(eq(auditLog.correlationId, correlationId)))[0]!.n;

describe('request ids', () => {
  it("are the engine's own: reusing another request's id does not put entries into its trail", async () => {
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord());
    const conversationId: string = posted.body.results[0].conversationId;
    const victimId = posted.headers.get('x-request-id')!;
    const before = await countByCorrelation(victimId);
    expect(before).toBeGreaterThan(0);

    const agent = await harness.tokenFor('agent');
    const replayed = await harness.as(agent).http('GET', `/v1/conversations/${conversationId}`, undefined, { 'x-request-id': victimId });
    expect(replayed.status).toBe(404);
    expect(replayed.headers.get('x-request-id')).not.toBe(victimId);
    expect(replayed.headers.get('x-client-request-id')).toBe(victimId);
    expect(await countByCorrelation(victimId)).toBe(before);
    expect(await auditTrailOf(harness.db, replayed.headers.get('x-request-id'))).toEqual(['CONVERSATION_BY_ID:BEGIN:null', 'CONVERSATION_BY_ID:END:UNAUTHORIZED']);
  });
});

describe('unauthenticated floods', () => {
  it('audit the first refusals one by one, answer the rest 429, and summarise them in one entry per source and window', async () => {
    const startedAt = new Date();
    const app = appWith({ http: { corsOrigins: [], requestTimeoutMs: 30_000, refusalLimit: { auditedPerWindow: 5, windowMs: 1_000 } } });
    const answers = [];
    for (let index = 0; index < 100; index += 1) answers.push(await app.request('/v1/users', { headers: { authorization: 'Bearer nonsense' } }));
    expect(answers.map((answer) => answer.status)).toEqual([...Array(5).fill(401), ...Array(95).fill(429)]);
    expect(answers[99]!.headers.get('retry-after')).toMatch(/^\d+$/);
    for (const answer of answers.slice(0, 5)) {
      expect(await auditTrailOf(harness.db, answer.headers.get('x-request-id'))).toEqual(['USER_LIST:BEGIN:null', 'USER_LIST:END:UNAUTHORIZED']);
    }
    for (const answer of answers.slice(5)) expect(await auditTrailOf(harness.db, answer.headers.get('x-request-id'))).toEqual([]);

    const summaries = await eventually(async () => {
      const rows = await harness.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.activity, 'ACCESS_DENIED'), gte(auditLog.occurredAt, startedAt), sql`${auditLog.details}->>'source' = 'unknown'`));
      return rows.length > 0 ? rows : undefined;
    }, 10_000);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ result: 'UNAUTHORIZED', details: expect.objectContaining({ count: 95, routes: [{ route: 'GET /v1/users', count: 95 }] }) });

    // A new window audits its first refusal again.
    expect((await app.request('/v1/users', { headers: { authorization: 'Bearer nonsense' } })).status).toBe(401);
  });
});

describe('text PostgreSQL cannot store', () => {
  it('in a query value or a path segment of any route is refused with 422 naming it, never a failed query', async () => {
    const auditor = harness.as(await harness.tokenFor('auditor')).http;
    const inQuery = await auditor('GET', `/v1/audit?${new URLSearchParams({ user: 'someone\u0000' })}`);
    expect(inQuery.status).toBe(422);
    expect(inQuery.body.errors[0].field).toBe('user');
    const inPath = await harness.http('POST', '/v1/calls/call%00one/events', { eventId: 'e1', at: new Date().toISOString(), type: 'ended' });
    expect(inPath.status).toBe(422);
    expect(inPath.body.errors[0].field).toBe('(path)');
  });
});

describe('server errors', () => {
  it('log neither the SQL nor its parameters', async () => {
    const app = appWith();
    const phone = '+447700900123';
    app.get('/v1/failing-query', async () => {
      await harness.db.execute(sql`select ${phone}::int as customer`);
      return new Response('unreachable');
    });
    const rule: RoutePermission = { roles: ['admin'], activity: 'USER_LIST', scope: 'none' };
    ROUTE_PERMISSIONS['GET /v1/failing-query'] = rule;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await app.request('/v1/failing-query', { headers: { authorization: `Bearer ${harness.admin.token}` } });
      expect(answer.status).toBe(500);
      const lines = logged.mock.calls.map((call) => call.join(' '));
      expect(lines.join('\n')).toContain(answer.headers.get('x-request-id')!);
      expect(lines.join('\n')).toMatch(/"sqlState":"[0-9A-Z]{5}"/);
      expect(lines.join('\n')).not.toMatch(/447700900123|select|::int/i);
    } finally {
      logged.mockRestore();
      delete ROUTE_PERMISSIONS['GET /v1/failing-query'];
    }
  });
});
