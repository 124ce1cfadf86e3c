import type { Database, Executor } from '../../../db/client.js';
import { looksLikeApiToken } from '../../../identity/api-token-secret.js';
import { findApiToken, recordApiTokenUse, type ApiTokenRow } from '../../../identity/api-tokens.js';
import type { Authentication } from './authentication.js';
import { actorOf } from './principal.js';
import { principalOfUser } from './user-principal.js';

export type ApiTokenCheck = (Authentication & { ok: false }) | (Authentication & { ok: true; token: ApiTokenRow });

/** Checks an opaque `rk_` token against its stored hash: known, not revoked, not expired, user enabled. Records nothing. */
export async function checkApiToken(db: Executor, token: string, now = new Date()): Promise<ApiTokenCheck> {
  if (!looksLikeApiToken(token)) return { ok: false, failure: 'malformed', detail: 'Not a Recordkeeper API token' };
  const found = await findApiToken(db, token);
  if (!found) return { ok: false, failure: 'unknown', detail: 'Unknown API token' };
  const actor = actorOf(principalOfUser(found.user));
  if (found.token.revokedAt) return { ok: false, failure: 'revoked', detail: 'The API token was revoked', actor };
  if (found.token.expiresAt <= now) return { ok: false, failure: 'expired', detail: 'The API token has expired', actor };
  if (found.user.disabledAt) return { ok: false, failure: 'disabled', detail: 'The user is disabled', actor };
  return { ok: true, principal: principalOfUser(found.user), token: found.token };
}

/** A bearer API token: checked, and its use recorded (which audits the start of a session after an idle time). */
export async function authenticateApiToken(db: Database, token: string, correlationId: string, now = new Date()): Promise<Authentication> {
  const checked = await checkApiToken(db, token, now);
  if (!checked.ok) return checked;
  await recordApiTokenUse(db, checked.token, { actor: actorOf(checked.principal), correlationId }, now);
  return { ok: true, principal: checked.principal };
}
