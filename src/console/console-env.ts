import type { Principal } from '../api/middleware/auth/principal.js';
import type { OidcConfig } from '../config.js';
import type { Database } from '../db/client.js';
import type { ConsoleSessionLimits } from '../identity/console-sessions.js';

/** What the console needs: the database (sessions, audit of refusals) and the API it renders. */
export interface ConsoleDeps {
  db: Database;
  /** The engine's own API, called in-process: every page reads and writes through the same routes, roles and scopes. */
  api: (request: Request) => Response | Promise<Response>;
  sessionLimits: ConsoleSessionLimits;
  /** Marks the session cookie Secure; on when the console is served over https. */
  secureCookies: boolean;
  /** Link target for a lifecycle's workflow, e.g. http://127.0.0.1:8233; absent: no link. */
  temporalUiUrl?: string;
  /** Temporal namespace of the lifecycle workflows, for the Temporal UI link. */
  temporalNamespace?: string;
  /** The identity provider; with its `consoleClient`, the sign-in page offers the authorization code flow with PKCE. */
  oidc?: OidcConfig;
  /** The console's origin as browsers reach it, for the provider's redirect back; default the request's own. */
  publicUrl?: string;
}

/** The signed-in person looking at a page. */
export interface Viewer {
  principal: Principal;
  /** The session secret from the cookie: the bearer of the page's API calls. Never rendered. */
  sessionSecret: string;
  /** Derived from the session secret; every form post carries it. */
  csrfToken: string;
}

export interface ConsoleEnv {
  Variables: { requestId: string; viewer: Viewer };
}
