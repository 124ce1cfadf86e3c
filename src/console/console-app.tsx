import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { checkApiToken } from '../api/middleware/auth/api-token-authenticator.js';
import { actorOf } from '../api/middleware/auth/principal.js';
import { principalOfSession } from '../api/middleware/auth/console-session-authenticator.js';
import { ANONYMOUS_ACTOR } from '../api/context.js';
import { appendOutcome } from '../audit/write/audit-outcome.js';
import { endConsoleSession, resumeConsoleSession, startConsoleSession } from '../identity/console-sessions.js';
import type { ConsoleDeps, ConsoleEnv, Viewer } from './console-env.js';
import { CONSOLE_PAGES, mayOpen } from './console-pages.js';
import {
  clearSessionCookie,
  csrfTokenOf,
  safeNextPath,
  sameToken,
  sessionCookieOf,
  setSessionCookie,
  SIGN_IN_COOKIE,
  CONSOLE_PATH,
} from './console-session.js';
import { Layout, Notice } from './layout.js';
import { checkedForm, refuseForgedForm, renderPage, viewerLayoutProps } from './page-kit.js';
import { registerConsolePages } from './pages/index.js';
import { registerOidcSignIn } from './oidc-sign-in.js';

const require = createRequire(import.meta.url);
const assetOf = (file: string) => readFileSync(new URL(`./assets/${file}`, import.meta.url), 'utf8');
/** Every asset is the engine's own or comes from node_modules, pinned: no CDN. */
const ASSETS: Record<string, { body: string; type: string }> = {
  'console.css': { body: assetOf('console.css'), type: 'text/css; charset=utf-8' },
  'console.js': { body: assetOf('console.js'), type: 'text/javascript; charset=utf-8' },
  'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'), type: 'text/javascript; charset=utf-8' },
};

/** Scripts and styles only from the engine, no inline code, no framing, forms post only here. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

const MAX_FORM_BYTES = 1024 * 1024;

function SignInPage(props: { formToken: string; next: string; message?: string; kind?: 'error' | 'info'; identityProvider?: boolean }) {
  return (
    <Layout title="Sign in">
      {props.message ? <Notice kind={props.kind ?? 'error'}>{props.message}</Notice> : null}
      <form method="post" action="/console/sign-in" class="stack narrow">
        <input type="hidden" name="_signin" value={props.formToken} />
        <input type="hidden" name="next" value={props.next} />
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="off" required aria-describedby="token-help" />
        <p id="token-help" class="help">
          Paste your personal API token (it starts with rk_). An administrator issues one with POST /v1/users/&#123;userId&#125;/tokens or
          npm run token:create.
        </p>
        <button type="submit">Sign in</button>
      </form>
      {props.identityProvider ? (
        <p>
          <a class="button secondary" href={`/console/oidc/start?next=${encodeURIComponent(props.next)}`}>
            Sign in with your identity provider
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

const SESSION_END_MESSAGES: Record<string, string> = {
  idle: 'Your session ended after a period without activity. Please sign in again.',
  expired: 'Your session reached its time limit. Please sign in again.',
  revoked: 'Your session ended because its API token was revoked.',
  disabled: 'Your user account is disabled.',
  ended: 'You are signed out. Please sign in again.',
};

export function consoleRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>();
  const maxAgeSeconds = Math.floor(deps.sessionLimits.maxMs / 1000);
  const identityProvider = Boolean(deps.oidc?.consoleClient);

  // Mounted at the API's root: every middleware here is scoped to the console's paths, never the API's.
  app.use('/console/*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('Cache-Control', c.req.path.startsWith(`${CONSOLE_PATH}/assets/`) ? 'public, max-age=3600' : 'no-store');
  });
  app.use('/console/*', bodyLimit({ maxSize: MAX_FORM_BYTES, onError: (c) => c.text('Form too large', 413) }));

  app.get('/console', (c) => c.redirect('/console/', 301));
  app.get('/console/assets/:file', (c) => {
    const asset = ASSETS[c.req.param('file')];
    if (!asset) return c.text('Not found', 404);
    return c.body(asset.body, 200, { 'content-type': asset.type });
  });

  app.get('/console/sign-in', async (c) => {
    const formToken = randomBytes(24).toString('base64url');
    setCookie(c, SIGN_IN_COOKIE, formToken, { httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, path: '/console/sign-in', maxAge: 3600 });
    const ended = c.req.query('ended');
    const message = ended ? SESSION_END_MESSAGES[ended] : undefined;
    return renderPage(c, <SignInPage formToken={formToken} next={safeNextPath(c.req.query('next'))} message={message} kind="info" identityProvider={identityProvider} />);
  });

  app.post('/console/sign-in', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNextPath(typeof form.next === 'string' ? form.next : undefined);
    const formToken = randomBytes(24).toString('base64url');
    const again = (message: string, status: 400 | 403) => {
      setCookie(c, SIGN_IN_COOKIE, formToken, { httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, path: '/console/sign-in', maxAge: 3600 });
      return renderPage(c, <SignInPage formToken={formToken} next={next} message={message} identityProvider={identityProvider} />, status);
    };
    // Login CSRF: the form must echo the random value of the sign-in page's own cookie.
    if (!sameToken(typeof form._signin === 'string' ? form._signin : undefined, getCookie(c, SIGN_IN_COOKIE))) {
      return again('The sign-in form expired or was not sent from this page. Please try again.', 403);
    }
    const token = typeof form.token === 'string' ? form.token.trim() : '';
    const checked = await checkApiToken(deps.db, token);
    if (!checked.ok) {
      await appendOutcome(deps.db, {
        activity: 'LOGIN',
        result: 'UNAUTHORIZED',
        actor: checked.actor ?? ANONYMOUS_ACTOR,
        description: `Console sign-in refused: ${checked.detail}`,
        details: { reason: checked.failure, method: 'api-token' },
        correlationId: c.var.requestId,
      });
      return again(`Sign-in refused: ${checked.detail}.`, 403);
    }
    const { secret } = await startConsoleSession(
      deps.db,
      { userId: checked.principal.userId, method: 'api-token', apiTokenId: checked.token.id, limits: deps.sessionLimits },
      { actor: actorOf(checked.principal), correlationId: c.var.requestId },
    );
    deleteCookie(c, SIGN_IN_COOKIE, { path: '/console/sign-in', secure: deps.secureCookies });
    setSessionCookie(c, deps, secret, maxAgeSeconds);
    return c.redirect(next, 303);
  });

  registerOidcSignIn(app, deps);

  // Every other console URL needs an open session; without one the browser is sent to sign in and back.
  app.use('/console/*', async (c, next) => {
    if (c.req.path.startsWith(`${CONSOLE_PATH}/assets/`)) return next();
    const secret = sessionCookieOf(c);
    const resumed = secret ? await resumeConsoleSession(deps.db, secret, deps.sessionLimits, c.var.requestId) : undefined;
    if (!secret || !resumed || !resumed.ok) {
      if (secret) clearSessionCookie(c, deps);
      const ended = resumed && !resumed.ok && resumed.reason !== 'unknown' ? `&ended=${resumed.reason === 'sign-out' ? 'ended' : resumed.reason}` : '';
      const back = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search || '') : '/console/';
      return c.redirect(`/console/sign-in?next=${encodeURIComponent(back)}${ended}`, 303);
    }
    const viewer: Viewer = { principal: principalOfSession(resumed), sessionSecret: secret!, csrfToken: csrfTokenOf(secret!) };
    c.set('viewer', viewer);
    return next();
  });

  app.post('/console/sign-out', async (c) => {
    const form = await checkedForm(c);
    if (!form) return refuseForgedForm(deps, c, 'LOGOUT');
    await endConsoleSession(deps.db, c.var.viewer.sessionSecret, c.var.requestId);
    clearSessionCookie(c, deps);
    return c.redirect('/console/sign-in?ended=ended', 303);
  });

  app.get('/console/', (c) => {
    const { principal } = c.var.viewer;
    const pages = Object.values(CONSOLE_PAGES).filter((page) => page.inNavigation && mayOpen(page, principal.roles));
    return renderPage(
      c,
      <Layout title="Overview" viewer={viewerLayoutProps(c)} current={CONSOLE_PAGES.home}>
        <p>
          Signed in as <strong>{principal.fullName}</strong> ({principal.username}) with the roles {principal.roles.join(', ')}. Times are shown in{' '}
          {principal.timeZone}; hover over a time for UTC.
        </p>
        <ul class="cards">
          {pages.map((page) => (
            <li>
              <a href={page.path}>{page.title}</a>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  registerConsolePages(app, deps);

  app.all('/console/*', (c) =>
    renderPage(
      c,
      <Layout title="Page not found" viewer={viewerLayoutProps(c)}>
        <Notice kind="error">{`There is no console page at ${c.req.path}.`}</Notice>
      </Layout>,
      404,
    ),
  );
  app.onError((error, c) => {
    console.error(JSON.stringify({ level: 'error', requestId: c.var.requestId, console: c.req.path, message: error instanceof Error ? error.message : String(error) }));
    const viewer = c.var.viewer;
    return renderPage(
      c,
      <Layout title="Something went wrong" viewer={viewer ? viewerLayoutProps(c) : undefined}>
        <Notice kind="error">{`The page could not be shown. Quote request id ${c.var.requestId} when reporting it.`}</Notice>
      </Layout>,
      500,
    );
  });
  return app;
}
