import type { OidcConfig } from '../../../config.js';
import type { Database } from '../../../db/client.js';
import { DEFAULT_CONSOLE_SESSION_LIMITS, type ConsoleSessionLimits } from '../../../identity/console-sessions.js';
import { authenticateApiToken } from './api-token-authenticator.js';
import type { Authenticator } from './authentication.js';
import { authenticateConsoleSession } from './console-session-authenticator.js';
import { createOidcAuthenticator } from './oidc-authenticator.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * API tokens are recognised by their `rk_` prefix, console sessions by `rks_`; other bearer tokens are JWTs
 * when OIDC is configured.
 */
export function createAuthenticator(db: Database, oidc: OidcConfig | undefined, sessionLimits: ConsoleSessionLimits = DEFAULT_CONSOLE_SESSION_LIMITS): Authenticator {
  const verifyJwt = oidc ? createOidcAuthenticator(db, oidc) : undefined;
  return async (token, correlationId) => {
    if (token.startsWith('rks_')) return authenticateConsoleSession(db, token, sessionLimits, correlationId);
    if (token.startsWith('rk_')) return authenticateApiToken(db, token, correlationId);
    if (verifyJwt && JWT_SHAPE.test(token)) return verifyJwt(token, correlationId);
    return { ok: false, failure: 'unknown', detail: verifyJwt ? 'Neither an API token nor a JWT' : 'Unknown API token' };
  };
}
