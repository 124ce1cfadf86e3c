import { createHash, randomBytes } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { oidcKeys, principalOfClaims, verifyOidcJwt, type OidcKeys } from '../api/middleware/auth/oidc-authenticator.js';
import { actorOf } from '../api/middleware/auth/principal.js';
import { ANONYMOUS_ACTOR } from '../api/context.js';
import { appendOutcome } from '../audit/write/audit-outcome.js';
import type { OidcConfig } from '../config.js';
import { startConsoleSession } from '../identity/console-sessions.js';
import { isUserRowId } from '../domain/user-rows.js';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { safeNextPath, sameToken, setSessionCookie } from './console-session.js';
import { Layout, Notice } from './layout.js';
import { renderPage } from './page-kit.js';

/** The flow's secrets between the redirect to the provider and its redirect back, in this browser only. */
const FLOW_COOKIE = 'rk_console_oidc';
const FLOW_PATH = '/console/oidc';
const FLOW_MAX_AGE_SECONDS = 600;
const CALLBACK_PATH = `${FLOW_PATH}/callback`;

interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

const random = () => randomBytes(32).toString('base64url');

function redirectUri(deps: ConsoleDeps, c: Context<ConsoleEnv>): string {
  return `${deps.publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin}${CALLBACK_PATH}`;
}

function readFlow(c: Context<ConsoleEnv>): FlowState | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(getCookie(c, FLOW_COOKIE) ?? '', 'base64url').toString('utf8')) as Partial<FlowState>;
    if (typeof parsed.state === 'string' && typeof parsed.nonce === 'string' && typeof parsed.verifier === 'string' && typeof parsed.next === 'string') return parsed as FlowState;
  } catch {
    // No or malformed cookie: the flow did not start in this browser.
  }
  return undefined;
}

async function exchangeCode(client: NonNullable<OidcConfig['consoleClient']>, code: string, verifier: string, redirect: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (client.clientSecret) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: client.clientId, code_verifier: verifier });
  const response = await fetch(client.tokenUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  const answer = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown; error_description?: unknown };
  if (!response.ok || typeof answer.id_token !== 'string') {
    throw new Error(`the identity provider refused the code (${response.status}${typeof answer.error === 'string' ? ` ${answer.error}` : ''}${typeof answer.error_description === 'string' ? `: ${answer.error_description}` : ''})`);
  }
  return answer.id_token;
}

/**
 * Sign-in with the identity provider: the authorization code flow with PKCE (S256), a state against
 * cross-site request forgery and a nonce against ID token replay. The ID token is verified like an OIDC
 * bearer token (signature, issuer, expiry), for the console's client id as audience.
 */
export function registerOidcSignIn(app: Hono<ConsoleEnv>, deps: ConsoleDeps): void {
  const oidc = deps.oidc;
  const client = oidc?.consoleClient;
  if (!oidc || !client) return;
  let keys: OidcKeys | undefined;

  const refuse = async (c: Context<ConsoleEnv>, reason: string, detail: string, actor = ANONYMOUS_ACTOR) => {
    await appendOutcome(deps.db, {
      activity: 'LOGIN',
      result: 'UNAUTHORIZED',
      actor,
      description: `Console sign-in with the identity provider refused: ${detail}`,
      details: { reason, method: 'oidc' },
      correlationId: c.var.requestId,
    });
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_PATH, secure: deps.secureCookies });
    return renderPage(
      c,
      <Layout title="Sign-in refused">
        <Notice kind="error">{`Sign-in with the identity provider was refused: ${detail}.`}</Notice>
        <p>
          <a href="/console/sign-in">Back to sign-in</a>
        </p>
      </Layout>,
      403,
    );
  };

  app.get(`${FLOW_PATH}/start`, (c) => {
    const verifier = random();
    const flow: FlowState = { state: random(), nonce: random(), verifier, next: safeNextPath(c.req.query('next')) };
    // Lax, not Strict: the provider's redirect back is a top-level navigation from another site.
    setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies,
      path: FLOW_PATH,
      maxAge: FLOW_MAX_AGE_SECONDS,
    });
    const authorize = new URL(client.authorizationUrl);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri(deps, c),
      scope: 'openid profile',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return c.redirect(authorize.toString(), 302);
  });

  app.get(CALLBACK_PATH, async (c) => {
    const flow = readFlow(c);
    if (!flow || !sameToken(c.req.query('state'), flow.state)) return refuse(c, 'state', 'the answer does not belong to a sign-in started in this browser');
    const error = c.req.query('error');
    if (error) return refuse(c, 'provider', `the identity provider answered ${error.slice(0, 100)}`);
    const code = c.req.query('code');
    if (!code) return refuse(c, 'code', 'the identity provider sent no code');
    let idToken: string;
    try {
      idToken = await exchangeCode(client, code, flow.verifier, redirectUri(deps, c));
    } catch (exchangeError) {
      return refuse(c, 'token', exchangeError instanceof Error ? exchangeError.message : String(exchangeError));
    }
    keys ??= oidcKeys(oidc);
    const verified = await verifyOidcJwt(keys, oidc, idToken, client.clientId);
    if (!verified.ok) return refuse(c, verified.failure, `its ID token was not accepted (${verified.detail})`);
    if (!sameToken(typeof verified.payload.nonce === 'string' ? verified.payload.nonce : undefined, flow.nonce)) return refuse(c, 'nonce', 'its ID token was issued for another sign-in');
    const who = await principalOfClaims(deps.db, oidc, verified.payload);
    if (!who.ok) return refuse(c, who.failure, who.detail, who.actor ?? ANONYMOUS_ACTOR);
    const { principal } = who;
    if (principal.roles.length === 0) return refuse(c, 'role', 'the ID token gives no Recordkeeper role', actorOf(principal));
    const { secret } = await startConsoleSession(
      deps.db,
      {
        userId: isUserRowId(principal.userId) ? principal.userId : null,
        method: 'oidc',
        principal: { userId: principal.userId, username: principal.username, fullName: principal.fullName, roles: principal.roles, timeZone: principal.timeZone },
        limits: deps.sessionLimits,
      },
      { actor: actorOf(principal), correlationId: c.var.requestId },
    );
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_PATH, secure: deps.secureCookies });
    setSessionCookie(c, deps, secret, Math.floor(deps.sessionLimits.maxMs / 1000));
    // A page, not a redirect: a redirect would still belong to the navigation the provider started, on which the
    // browser withholds the SameSite=Strict session cookie; this page's own navigation is same-site.
    return renderPage(
      c,
      <Layout title="Signed in">
        <meta http-equiv="refresh" content={`0;url=${flow.next}`} />
        <p>
          Signed in as {principal.fullName}. <a href={flow.next}>Continue</a>
        </p>
      </Layout>,
    );
  });
}
