import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OidcConfig } from '../../../config.js';
import type { Executor } from '../../../db/client.js';
import { findUserByUsername } from '../../../identity/users.js';
import type { Authentication, Authenticator } from './authentication.js';
import type { Principal } from './principal.js';
import { knownRoles, principalOfUser } from './user-principal.js';

/** Only asymmetric algorithms: a shared-secret (HS*) token could be minted by anyone who can verify one. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Tolerates small clock differences between the identity provider and this host. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** Reads a claim by a dotted path, so providers that nest roles (Keycloak: `realm_access.roles`) work. */
function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), payload);
}

function rolesFrom(claim: unknown): unknown[] {
  if (Array.isArray(claim)) return claim;
  return typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
}

export type OidcKeys = ReturnType<typeof createRemoteJWKSet>;

export function oidcKeys(config: OidcConfig): OidcKeys {
  return createRemoteJWKSet(new URL(config.jwksUrl));
}

/** Verifies a JWT of the provider: signature against its JWKS, issuer, audience, expiry. */
export async function verifyOidcJwt(
  keys: OidcKeys,
  config: OidcConfig,
  token: string,
  audience: string,
): Promise<{ ok: true; payload: JWTPayload } | { ok: false; failure: 'expired' | 'invalid'; detail: string }> {
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: config.issuer, audience, algorithms: ALGORITHMS, clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'sub'] });
    return { ok: true, payload };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, failure: 'expired', detail: 'The bearer token has expired' };
    return { ok: false, failure: 'invalid', detail: `The bearer token was not accepted (${error instanceof errors.JOSEError ? error.code : 'unverifiable'})` };
  }
}

/**
 * Who a verified token names. Roles come from the token; a user row with the same username, if any,
 * supplies the id, groups and time zone, and disabling that row shuts the user out even while the provider
 * still issues tokens.
 */
export async function principalOfClaims(db: Executor, config: OidcConfig, payload: JWTPayload): Promise<Authentication> {
  const username = claimAt(payload, config.usernameClaim);
  if (typeof username !== 'string' || username === '') {
    return { ok: false, failure: 'invalid', detail: `The bearer token has no ${config.usernameClaim} claim` };
  }
  const roles = rolesFrom(claimAt(payload, config.rolesClaim));
  const user = await findUserByUsername(db, username);
  if (user?.disabledAt) return { ok: false, failure: 'disabled', detail: 'The user is disabled' };
  const principal: Principal = user
    ? principalOfUser(user, roles)
    : {
        userId: `oidc:${payload.sub}`,
        username,
        fullName: typeof payload.name === 'string' ? payload.name : username,
        roles: knownRoles(roles),
        groupNames: [],
        supervisedGroups: [],
        timeZone: typeof payload.zoneinfo === 'string' ? payload.zoneinfo : 'UTC',
      };
  return { ok: true, principal };
}

/** Bearer JWTs from the configured identity provider, for the API's audience. */
export function createOidcAuthenticator(db: Executor, config: OidcConfig): Authenticator {
  const keys = oidcKeys(config);
  return async (token): Promise<Authentication> => {
    const verified = await verifyOidcJwt(keys, config, token, config.audience);
    if (!verified.ok) return verified;
    return principalOfClaims(db, config, verified.payload);
  };
}
