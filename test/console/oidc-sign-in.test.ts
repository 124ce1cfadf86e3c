import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, consoleSessions } from '../../src/db/schema/index.js';
import { createHarness, type Harness } from '../support/harness.js';
import { launchChromium, newPage } from './support/browser.js';

/**
 * An identity provider speaking the authorization code flow with PKCE over real HTTP: /authorize signs the
 * configured person in at once and redirects back with a code; /token checks the code, the redirect URI and
 * the PKCE verifier against the challenge, and answers an RS256 ID token; /certs serves its key set.
 */
const ISSUER = 'https://idp.example.test/realms/recordkeeper';
const CLIENT_ID = 'recordkeeper-console';
const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
let signedInAs: Record<string, unknown> = {};
const codes = new Map<string, { challenge: string; redirectUri: string; nonce: string; claims: Record<string, unknown> }>();
const tokenRequests: URLSearchParams[] = [];

const idp = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://idp');
  if (url.pathname === '/certs') {
    void exportJWK(publicKey).then((jwk) => response.end(JSON.stringify({ keys: [{ ...jwk, kid: 'k1', alg: 'RS256', use: 'sig' }] })));
    return;
  }
  if (url.pathname === '/authorize') {
    const params = url.searchParams;
    if (params.get('code_challenge_method') !== 'S256' || params.get('client_id') !== CLIENT_ID || params.get('response_type') !== 'code') {
      response.writeHead(400).end('bad authorization request');
      return;
    }
    const code = randomUUID();
    codes.set(code, { challenge: params.get('code_challenge')!, redirectUri: params.get('redirect_uri')!, nonce: params.get('nonce')!, claims: signedInAs });
    const back = new URL(params.get('redirect_uri')!);
    back.searchParams.set('code', code);
    back.searchParams.set('state', params.get('state')!);
    response.writeHead(302, { location: back.toString() }).end();
    return;
  }
  if (url.pathname === '/token' && request.method === 'POST') {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      tokenRequests.push(form);
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifierMatches = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge;
      if (!grant || !verifierMatches || form.get('redirect_uri') !== grant.redirectUri) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      void new SignJWT({ ...grant.claims, nonce: grant.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience(CLIENT_ID)
        .setSubject(String(grant.claims.sub ?? randomUUID()))
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey)
        .then((idToken) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id_token: idToken, token_type: 'Bearer' })));
    });
    return;
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
const idpUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

let harness: Harness;
let browser: Browser;
beforeAll(async () => {
  harness = await createHarness({
    apiDeps: {
      oidc: {
        issuer: ISSUER,
        audience: 'recordkeeper-api',
        jwksUrl: `${idpUrl}/certs`,
        rolesClaim: 'realm_access.roles',
        usernameClaim: 'preferred_username',
        consoleClient: { clientId: CLIENT_ID, clientSecret: undefined, authorizationUrl: `${idpUrl}/authorize`, tokenUrl: `${idpUrl}/token` },
      },
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await new Promise((resolve) => idp.close(resolve));
});

describe('console sign-in with the identity provider (authorization code + PKCE)', () => {
  it('signs a provider user in with the roles of the ID token, audited LOGIN (oidc), and lands on the page asked for', async () => {
    const username = `oidc-${randomUUID().slice(0, 8)}`;
    signedInAs = { preferred_username: username, name: 'Olga Auditor', realm_access: { roles: ['auditor'] }, sub: randomUUID() };
    const { context, page } = await newPage(browser);
    await page.goto(`${harness.baseUrl}/console/audit?activity=LOGIN`);
    await page.getByRole('link', { name: 'Sign in with your identity provider' }).click();
    await page.waitForURL((url) => url.pathname === '/console/audit', { timeout: 15_000 });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
    expect(await page.locator('.who').textContent()).toBe('Olga Auditor');

    // The token request carried a verifier, never a secret (a public client), and the redirect URI of the callback.
    const exchange = tokenRequests.at(-1)!;
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.get('redirect_uri')).toBe(`${harness.baseUrl}/console/oidc/callback`);
    const sessions = await harness.db.select().from(consoleSessions).where(eq(consoleSessions.method, 'oidc'));
    const session = sessions.find((candidate) => candidate.principal?.username === username);
    expect(session!.principal).toMatchObject({ username, roles: ['auditor'] });
    expect(session!.userId).toBeNull();
    const logins = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'LOGIN'), eq(auditLog.actorUsername, username)));
    expect(logins.map((entry) => [entry.result, (entry.details as { method?: string }).method])).toEqual([['OK', 'oidc']]);

    // A provider user without a user row owns nothing: their own trainings list is empty, not an error.
    expect((await page.goto(`${harness.baseUrl}/console/training`))?.status()).toBe(200);
    await context.close();
  });

  it('refuses an answer that did not start in this browser (wrong state), audited, with no session', async () => {
    const { context, page } = await newPage(browser);
    const response = await page.goto(`${harness.baseUrl}/console/oidc/callback?code=forged&state=forged`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('does not belong to a sign-in started in this browser');
    expect((await context.cookies()).some((cookie) => cookie.name === 'rk_console')).toBe(false);
    await context.close();
  });

  it('refuses a provider user whose token gives no Recordkeeper role', async () => {
    const username = `oidc-${randomUUID().slice(0, 8)}`;
    signedInAs = { preferred_username: username, realm_access: { roles: ['offline_access'] }, sub: randomUUID() };
    const { context, page } = await newPage(browser);
    await page.goto(`${harness.baseUrl}/console/sign-in`);
    await page.getByRole('link', { name: 'Sign in with your identity provider' }).click();
    await page.waitForURL((url) => url.pathname === '/console/oidc/callback');
    expect(await page.getByRole('alert').textContent()).toContain('no Recordkeeper role');
    const refusals = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'LOGIN'), eq(auditLog.actorUsername, username)));
    expect(refusals.map((entry) => entry.result)).toEqual(['UNAUTHORIZED']);
    await context.close();
  });
});
