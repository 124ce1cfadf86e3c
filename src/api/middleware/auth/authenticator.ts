import type { OidcConfig } from '../../../config.js';
import type { Database } from '../../../db/client.js';
import { authenticateApiToken } from './api-token-authenticator.js';
import type { Authenticator } from './authentication.js';
import { createOidcAuthenticator } from './oidc-authenticator.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** API tokens are recognised by their `rk_` prefix; other bearer tokens are JWTs when OIDC is configured. */
export function createAuthenticator(db: Database, oidc: OidcConfig | undefined): Authenticator {
  const verifyJwt = oidc ? createOidcAuthenticator(db, oidc) : undefined;
  return async (token, correlationId) => {
    if (token.startsWith('rk_')) return authenticateApiToken(db, token, correlationId);
    if (verifyJwt && JWT_SHAPE.test(token)) return verifyJwt(token, correlationId);
    return { ok: false, failure: 'unknown', detail: verifyJwt ? 'Neither an API token nor a JWT' : 'Unknown API token' };
  };
}
