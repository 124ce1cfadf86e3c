import type { Child, PropsWithChildren } from 'hono/jsx';
import type { Principal } from '../api/middleware/auth/principal.js';
import { CONSOLE_PAGES, mayOpen, type ConsolePage } from './console-pages.js';

export interface LayoutProps {
  title: string;
  viewer?: { principal: Principal; csrfToken: string };
  current?: ConsolePage;
  /** Extra scripts of the page, served by the engine. */
  scripts?: string[];
}

/** Every page: a skip link, the navigation the viewer's roles allow, and sign-out as a CSRF-protected post. */
export function Layout(props: PropsWithChildren<LayoutProps>) {
  const pages = Object.values(CONSOLE_PAGES).filter((page) => page.inNavigation && props.viewer && mayOpen(page, props.viewer.principal.roles));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Recordkeeper`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/htmx.min.js" defer></script>
        <script src="/console/assets/console.js" defer></script>
        {(props.scripts ?? []).map((src) => (
          <script src={src} defer></script>
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/console/">
            Recordkeeper
          </a>
          {props.viewer ? (
            <nav aria-label="Main">
              <ul>
                {pages.map((page) => (
                  <li>
                    <a href={page.path} aria-current={props.current?.key === page.key ? 'page' : undefined}>
                      {page.title}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {props.viewer ? (
            <form class="sign-out" method="post" action="/console/sign-out">
              <input type="hidden" name="_csrf" value={props.viewer.csrfToken} />
              <span class="who" title={`${props.viewer.principal.username} · roles: ${props.viewer.principal.roles.join(', ')} · time zone ${props.viewer.principal.timeZone}`}>
                {props.viewer.principal.fullName}
              </span>
              <button type="submit">Sign out</button>
            </form>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'medium' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** An instant in the viewer's time zone, with UTC on hover (the seed's Audit Log shows the viewer's time). */
export function Time(props: { at: string | Date | null | undefined; timeZone: string }) {
  if (!props.at) return <span class="muted">—</span>;
  const date = typeof props.at === 'string' ? new Date(props.at) : props.at;
  if (Number.isNaN(date.getTime())) return <span>{String(props.at)}</span>;
  return (
    <time datetime={date.toISOString()} title={`UTC ${date.toISOString()}`}>
      {formatterFor(props.timeZone).format(date)}
    </time>
  );
}

/** A message above a page's content: the API's refusal or the outcome of an action. */
export function Notice(props: { kind: 'error' | 'ok' | 'info'; children?: Child }) {
  return (
    <p class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </p>
  );
}

/** The hidden CSRF field every console form post carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/**
 * Keyset paging: "Next page" with the cursor the API returned and the same filters, and, on a later page,
 * the way back to the first (a keyset has no "previous").
 */
export function NextPageLink(props: { href: string | null; firstHref?: string | null }) {
  if (!props.href && !props.firstHref) return null;
  return (
    <p class="paging">
      {props.href ? (
        <a href={props.href} rel="next">
          Next page
        </a>
      ) : null}
      {props.href && props.firstHref ? ' · ' : null}
      {props.firstHref ? <a href={props.firstHref}>Back to the newest</a> : null}
    </p>
  );
}
