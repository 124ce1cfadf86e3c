import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../api/middleware/auth/principal.js';
import { appendOutcome } from '../audit/write/audit-outcome.js';
import type { ConsoleDeps, ConsoleEnv } from './console-env.js';
import { mayOpen, type ConsolePage } from './console-pages.js';
import { sameToken } from './console-session.js';
import { Layout, Notice } from './layout.js';

/** What every page module uses: rendering, the role check of a page, and CSRF-checked form posts. */

export async function renderPage(c: Context<ConsoleEnv>, page: Child, status: 200 | 400 | 403 | 404 | 409 | 422 | 500 = 200): Promise<Response> {
  const html = `<!doctype html>${String(await page)}`;
  return c.html(html, status);
}

export function viewerLayoutProps(c: Context<ConsoleEnv>) {
  const viewer = c.var.viewer;
  return { principal: viewer.principal, csrfToken: viewer.csrfToken };
}

/**
 * Refuses a page outside the viewer's roles with a readable 403, audited UNAUTHORIZED under the page's
 * activity like a refused API route. Returns undefined when the viewer may open it.
 */
export async function refusePageUnlessAllowed(deps: ConsoleDeps, c: Context<ConsoleEnv>, page: ConsolePage): Promise<Response | undefined> {
  const { principal } = c.var.viewer;
  if (mayOpen(page, principal.roles)) return undefined;
  await appendOutcome(deps.db, {
    activity: page.activity,
    result: 'UNAUTHORIZED',
    actor: actorOf(principal),
    description: `Console page ${page.title} (${c.req.path}) refused (403): roles [${principal.roles.join(', ')}] may not open it`,
    details: { page: page.key, path: c.req.path, status: 403, reason: 'role' },
    correlationId: c.var.requestId,
  });
  const refusal = `Your roles (${principal.roles.join(', ')}) do not include this page, ${page.title}. Ask an administrator if you need it.`;
  return renderRefusal(c, { title: 'Not allowed', refusal, back: { href: '/console/', text: 'Back to the overview' } }, 403);
}

/** A page that shows only why it cannot show what was asked (refused, missing, out of scope) and the way back. */
export function renderRefusal(
  c: Context<ConsoleEnv>,
  props: { title: string; current?: ConsolePage; refusal: string; back: { href: string; text: string } },
  status: Parameters<typeof renderPage>[2],
): Promise<Response> {
  return renderPage(
    c,
    <Layout title={props.title} viewer={viewerLayoutProps(c)} current={props.current}>
      <Notice kind="error">{props.refusal}</Notice>
      <p>
        <a href={props.back.href}>{props.back.text}</a>
      </p>
    </Layout>,
    status,
  );
}

/** The fields of a posted form, after its CSRF token was checked; undefined when it was missing or wrong. */
export async function checkedForm(c: Context<ConsoleEnv>): Promise<Record<string, string | string[]> | undefined> {
  const form = await c.req.parseBody({ all: true });
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    if (typeof value === 'string') fields[key] = value;
    else if (Array.isArray(value)) fields[key] = value.filter((item): item is string => typeof item === 'string');
  }
  const token = typeof fields._csrf === 'string' ? fields._csrf : undefined;
  if (!sameToken(token, c.var.viewer.csrfToken)) return undefined;
  delete fields._csrf;
  return fields;
}

/** A form post without the session's CSRF token: refused and audited, nothing is changed. */
export async function refuseForgedForm(deps: ConsoleDeps, c: Context<ConsoleEnv>, activity: string): Promise<Response> {
  const { principal } = c.var.viewer;
  await appendOutcome(deps.db, {
    activity,
    result: 'UNAUTHORIZED',
    actor: actorOf(principal),
    description: `Console form post to ${c.req.path} refused (403): missing or wrong CSRF token`,
    details: { path: c.req.path, status: 403, reason: 'csrf' },
    correlationId: c.var.requestId,
  });
  return renderPage(
    c,
    <Layout title="Form refused" viewer={viewerLayoutProps(c)}>
      <Notice kind="error">This form could not be verified as sent from your console page. Nothing was changed; reload the page and try again.</Notice>
    </Layout>,
    403,
  );
}

