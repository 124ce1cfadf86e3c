import type { Database } from '../db/client.js';
import type { ApiTokenRow } from './api-tokens.js';
import { issueApiToken } from './api-tokens.js';
import type { AuditContext } from '../audit/write/audited.js';
import { expiryAfterDays, type NewUser } from './user-input.js';
import { createUser, findUserByUsername, type UserRow } from './users.js';

export interface TokenForUser {
  user: UserRow;
  userCreated: boolean;
  token: string;
  row: ApiTokenRow;
}

/**
 * Issues a token for a user, creating the user first if the username is new. An existing user keeps its
 * roles and groups: changing them is an audited admin action through the API, not a side effect here.
 */
export async function issueTokenForUser(
  db: Database,
  request: { user: NewUser; tokenName: string; expiresInDays: number },
  audit: AuditContext,
): Promise<TokenForUser> {
  const existing = await findUserByUsername(db, request.user.username);
  const user = existing ?? (await createUser(db, request.user, audit));
  const issued = await issueApiToken(db, { userId: user.id, name: request.tokenName, expiresAt: expiryAfterDays(request.expiresInDays) }, audit);
  return { user, userCreated: !existing, ...issued };
}
