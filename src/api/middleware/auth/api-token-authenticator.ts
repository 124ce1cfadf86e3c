import type { Database } from '../../../db/client.js';
import { looksLikeApiToken } from '../../../identity/api-token-secret.js';
import { findApiToken, recordApiTokenUse } from '../../../identity/api-tokens.js';
import type { Authentication } from './authentication.js';
import { actorOf } from './principal.js';
import { principalOfUser } from './user-principal.js';

/** Checks an opaque `rk_` token against its stored hash: known, not revoked, not expired, user enabled. */
export async function authenticateApiToken(db: Database, token: string, correlationId: string, now = new Date()): Promise<Authentication> {
  if (!looksLikeApiToken(token)) return { ok: false, failure: 'malformed', detail: 'Not a Recordkeeper API token' };
  const found = await findApiToken(db, token);
  if (!found) return { ok: false, failure: 'unknown', detail: 'Unknown API token' };
  const actor = actorOf(principalOfUser(found.user));
  if (found.token.revokedAt) return { ok: false, failure: 'revoked', detail: 'The API token was revoked', actor };
  if (found.token.expiresAt <= now) return { ok: false, failure: 'expired', detail: 'The API token has expired', actor };
  if (found.user.disabledAt) return { ok: false, failure: 'disabled', detail: 'The user is disabled', actor };
  const principal = principalOfUser(found.user);
  await recordApiTokenUse(db, found.token, { actor: actorOf(principal), correlationId }, now);
  return { ok: true, principal };
}
