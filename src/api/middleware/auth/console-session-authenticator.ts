import type { Database } from '../../../db/client.js';
import { resumeConsoleSession, type ConsoleSessionLimits, type SessionResumption } from '../../../identity/console-sessions.js';
import type { Authentication } from './authentication.js';
import type { Principal } from './principal.js';
import { knownRoles, principalOfUser } from './user-principal.js';

const FAILURES = { unknown: 'unknown', ended: 'revoked', 'sign-out': 'revoked', revoked: 'revoked', idle: 'expired', expired: 'expired', disabled: 'disabled' } as const;

/**
 * Who an open session acts as. An API-token session reads its user row afresh (a role change applies at
 * once); an OIDC session keeps the roles the ID token gave at sign-in, with the user row's groups and zone
 * where one exists, like an OIDC bearer token.
 */
export function principalOfSession(resumed: SessionResumption & { ok: true }): Principal {
  const { session, user } = resumed;
  const snapshot = session.principal;
  if (!snapshot) return principalOfUser(user!);
  if (user) return principalOfUser(user, snapshot.roles);
  return { userId: snapshot.userId, username: snapshot.username, fullName: snapshot.fullName, roles: knownRoles(snapshot.roles), groupNames: [], supervisedGroups: [], timeZone: snapshot.timeZone };
}

/**
 * A console session's secret, from the browser's cookie: the console passes it as the bearer of the API
 * calls a page makes, so pages are authorised by exactly the API's permission table and scopes.
 */
export async function authenticateConsoleSession(db: Database, secret: string, limits: ConsoleSessionLimits, correlationId: string): Promise<Authentication> {
  const resumed = await resumeConsoleSession(db, secret, limits, correlationId);
  if (!resumed.ok) {
    return { ok: false, failure: FAILURES[resumed.reason], detail: `The console session is not open (${resumed.reason})`, ...(resumed.actor ? { actor: resumed.actor } : {}) };
  }
  return { ok: true, principal: principalOfSession(resumed) };
}
