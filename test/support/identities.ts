import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { apiTokens } from '../../src/db/schema/index.js';
import type { Role } from '../../src/domain/roles.js';
import { issueApiToken, revokeApiToken } from '../../src/identity/api-tokens.js';
import type { AuditContext } from '../../src/audit/write/audited.js';
import { expiryAfterDays } from '../../src/identity/user-input.js';
import { createUser } from '../../src/identity/users.js';

export interface IdentityOptions {
  /** Defaults to a fresh unique name: test files share one database. */
  username?: string;
  fullName?: string;
  groupNames?: string[];
  supervisedGroups?: string[];
  timeZone?: string;
  /** Where notification mails go; none by default. */
  email?: string;
  /** A past date gives an expired token. */
  expiresAt?: Date;
  revoked?: boolean;
}

export interface Identity {
  token: string;
  userId: string;
  username: string;
  tokenId: string;
}

const TEST_SETUP: AuditContext = {
  actor: { type: 'system', id: 'test-harness', username: 'test-harness', fullName: 'Test harness' },
  correlationId: 'test-harness',
};

/** A user with the given roles and a token, made the way the bootstrap command makes them. */
export async function createIdentity(db: Database, roles: Role | readonly Role[], options: IdentityOptions = {}): Promise<Identity> {
  const roleList = typeof roles === 'string' ? [roles] : [...roles];
  const username = options.username ?? `${roleList.join('+') || 'nobody'}-${randomUUID().slice(0, 8)}`;
  const user = await createUser(
    db,
    {
      username,
      fullName: options.fullName ?? `Test ${username}`,
      roles: roleList,
      groupNames: options.groupNames ?? [],
      supervisedGroups: options.supervisedGroups ?? [],
      timeZone: options.timeZone ?? 'UTC',
      ...(options.email ? { email: options.email } : {}),
    },
    TEST_SETUP,
  );
  const issued = await issueApiToken(db, { userId: user.id, name: 'test', expiresAt: options.expiresAt ?? expiryAfterDays(1) }, TEST_SETUP);
  if (options.revoked) await revokeApiToken(db, { userId: user.id, tokenId: issued.row.id }, TEST_SETUP);
  // As if the token were in a session already: its first request would otherwise add a LOGIN entry to the
  // trail each test asserts (session starts are asserted in users-and-tokens.test.ts).
  await db.update(apiTokens).set({ lastUsedAt: new Date() }).where(eq(apiTokens.id, issued.row.id));
  return { token: issued.token, userId: user.id, username, tokenId: issued.row.id };
}
