import type { Actor } from '../../../audit/write/actor.js';
import type { Principal } from './principal.js';

/** Why a caller was not let in; each becomes the `reason` of the 401 and of its audit entry. */
export type AuthenticationFailure = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'disabled' | 'invalid';

export type Authentication =
  | { ok: true; principal: Principal }
  /** `actor` is set when the token names a known user (an expired or revoked token), so the refusal is attributed. */
  | { ok: false; failure: AuthenticationFailure; detail: string; actor?: Actor };

/** `correlationId` is the request's: a token use that starts a session is audited under it. */
export type Authenticator = (token: string, correlationId: string) => Promise<Authentication>;
