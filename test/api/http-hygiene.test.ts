import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../src/api/deps.js';
import { ROUTE_PERMISSIONS, type RoutePermission } from '../../src/api/permissions.js';
import type { Logger, LogLevel } from '../../src/lib/logger.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { appOnHarness, createHarness, type Harness } from '../support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const appWith = (extra: Partial<ApiDeps> = {}) => appOnHarness(harness, extra);

/** Gives a test-only route a rule for the duration of `run` (this file runs in its own process). */
async function withRule<T>(key: string, rule: RoutePermission, run: () => T | Promise<T>): Promise<T> {
  ROUTE_PERMISSIONS[key] = rule;
  try {
    return await run();
  } finally {
    delete ROUTE_PERMISSIONS[key];
  }
}

const bearer = () => ({ authorization: `Bearer ${harness.admin.token}` });

describe('access to routes outside the table', () => {
  it('refuses a route without a permission rule even to an admin, and audits it', async () => {
    const app = appWith();
    app.get('/v1/forgotten', (c) => c.json({ secret: true }));
    const answer = await app.request('/v1/forgotten', { headers: bearer() });
    expect(answer.status).toBe(403);
    expect(await answer.text()).not.toContain('secret');
    expect(await auditTrailOf(harness.db, answer.headers.get('x-request-id'))).toEqual(['ACCESS_DENIED:SYNC:UNAUTHORIZED']);
  });

  it('asks for a token before saying whether a path exists', async () => {
    expect((await harness.as(null).http('GET', '/v1/no-such-thing')).status).toBe(401);
    expect((await harness.http('GET', '/v1/no-such-thing')).status).toBe(404);
  });
});

describe('errors', () => {
  it('never shows a stack trace or SQL, only a request id to quote', async () => {
    const app = appWith();
    app.get('/v1/broken', () => {
      throw new Error('select token_hash from api_tokens where id = 1');
    });
    const answer = await withRule('GET /v1/broken', { roles: ['admin'], activity: 'USER_LIST', scope: 'none' }, () => app.request('/v1/broken', { headers: bearer() }));
    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    const text = await answer.text();
    expect(text).not.toMatch(/select|api_tokens|\.ts:\d+|\n\s+at /i);
    expect(JSON.parse(text).requestId).toBe(answer.headers.get('x-request-id'));
  });

  it('answers a request that runs too long with 504 problem+json', async () => {
    const app = appWith({ http: { corsOrigins: [], requestTimeoutMs: 100 } });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    app.get('/v1/stuck', async (c) => {
      await held;
      return c.json({});
    });
    const answer = await withRule('GET /v1/stuck', { roles: ['admin'], activity: 'USER_LIST', scope: 'none' }, () => app.request('/v1/stuck', { headers: bearer() }));
    release();
    expect(answer.status).toBe(504);
    expect(((await answer.json()) as { title: string }).title).toBe('Request timed out');
  });
});

describe('CORS', () => {
  it('is closed by default: no browser origin is allowed', async () => {
    const answer = await harness.http('GET', '/v1/me', undefined, { origin: 'https://console.example', ...bearer() });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await harness.as(null).http('OPTIONS', '/v1/me', undefined, { origin: 'https://console.example', 'access-control-request-method': 'GET' });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the configured origins', async () => {
    const app = appWith({ http: { corsOrigins: ['https://console.example'], requestTimeoutMs: 30_000 } });
    const preflight = await app.request('/v1/me', {
      method: 'OPTIONS',
      headers: { origin: 'https://console.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const other = await app.request('/v1/me', { headers: { origin: 'https://evil.example', ...bearer() } });
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });
});

describe('request logs', () => {
  it('writes one JSON line per request with its id and caller, and never the token', async () => {
    const lines: { level: LogLevel; message: string; fields?: Record<string, unknown> }[] = [];
    const log = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
    const logger: Logger = { log, info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
    const app = appWith({ logger });
    const answer = await app.request('/v1/me?token=not-logged', { headers: bearer() });
    const refused = await app.request('/v1/users', { headers: { authorization: 'Bearer rk_leaked-looking-secret' } });
    expect(lines.map((line) => line.fields)).toEqual([
      expect.objectContaining({ requestId: answer.headers.get('x-request-id'), method: 'GET', path: '/v1/me', status: 200, user: harness.admin.username }),
      expect.objectContaining({ requestId: refused.headers.get('x-request-id'), path: '/v1/users', status: 401 }),
    ]);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(harness.admin.token);
    expect(logged).not.toContain('leaked-looking-secret');
    expect(logged).not.toContain('not-logged');
  });
});

describe('documentation', () => {
  it('serves the OpenAPI document with each operation’s roles and security', async () => {
    const answer = await harness.as(null).http('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const spec = answer.body;
    expect(spec.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.paths['/v1/users'].post).toMatchObject({ security: [{ bearerAuth: [] }], 'x-roles': ['admin'], 'x-audit-activity': 'REGISTER' });
    expect(spec.paths['/v1/users'].post.responses['403']).toBeDefined();
    expect(spec.paths['/health/live'].get.security).toEqual([]);
  });

  it('serves a reference page that loads nothing from the internet', async () => {
    const answer = await harness.as(null).http('GET', '/docs');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(answer.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(answer.body).toContain("fetch('/openapi.json')");
    expect(answer.body).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  it('sends security headers', async () => {
    const answer = await harness.as(null).http('GET', '/health/live');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
