import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { apiTokens, users } from '../db/schema/index.js';
import { generateApiToken, hashApiToken } from './api-token-secret.js';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import { IdentityError } from './identity-error.js';

export type ApiTokenRow = typeof apiTokens.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** Issues a token for a user (audited CLIENT_REGISTER). The token itself is returned once and never stored. */
export async function issueApiToken(
  db: Database,
  request: { userId: string; name: string; expiresAt: Date },
  audit: AuditContext,
): Promise<{ token: string; row: ApiTokenRow }> {
  const secret = generateApiToken();
  const row = await auditedChange(
    db,
    {
      ...audit,
      activity: 'CLIENT_REGISTER',
      description: `API token "${request.name}" issued to user ${request.userId}`,
      details: { userId: request.userId, name: request.name, prefix: secret.prefix, expiresAt: request.expiresAt.toISOString() },
    },
    async (tx) => {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, request.userId));
      if (!user) throw new IdentityError('user-not-found', `No user ${request.userId}`);
      const [inserted] = await tx
        .insert(apiTokens)
        .values({ userId: request.userId, name: request.name, tokenHash: secret.hash, prefix: secret.prefix, expiresAt: request.expiresAt })
        .returning();
      return { value: inserted!, details: { tokenId: inserted!.id } };
    },
  );
  return { token: secret.token, row };
}

/**
 * Revokes a user's token (audited REVOKE_GRANT). Revoking twice keeps the first revocation time, so the
 * record of when access ended is never moved.
 */
export async function revokeApiToken(db: Database, request: { userId: string; tokenId: string }, audit: AuditContext): Promise<ApiTokenRow> {
  return auditedChange(
    db,
    { ...audit, activity: 'REVOKE_GRANT', description: `API token ${request.tokenId} of user ${request.userId} revoked`, details: request },
    async (tx) => {
      const owned = and(eq(apiTokens.id, request.tokenId), eq(apiTokens.userId, request.userId));
      const [revoked] = await tx.update(apiTokens).set({ revokedAt: sql`now()` }).where(and(owned, isNull(apiTokens.revokedAt))).returning();
      if (revoked) return { value: revoked, details: { prefix: revoked.prefix } };
      const [existing] = await tx.select().from(apiTokens).where(owned);
      if (!existing) throw new IdentityError('token-not-found', `User ${request.userId} has no token ${request.tokenId}`);
      return { value: existing, details: { prefix: existing.prefix, alreadyRevokedAt: existing.revokedAt?.toISOString() } };
    },
  );
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
}

/** The token presented by a caller, with its user; undefined when no token has this value. */
export async function findApiToken(db: Executor, token: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashApiToken(token)));
  return row;
}

/** Last use is recorded at most this often per token: a write per request would double the cost of every read. */
const USE_RECORDING_INTERVAL_MS = 60_000;
/** A use after this long idle starts a new session, audited as a LOGIN (the engine has no interactive login). */
export const SESSION_IDLE_MS = 30 * 60_000;

/**
 * Records a token's use. The conditional update lets exactly one of many concurrent requests record it, and
 * that one audits the start of a session in the same transaction when the token had been idle.
 */
export async function recordApiTokenUse(db: Database, token: ApiTokenRow, audit: AuditContext, now = new Date()): Promise<void> {
  const idleMs = token.lastUsedAt ? now.getTime() - token.lastUsedAt.getTime() : Number.POSITIVE_INFINITY;
  if (idleMs < USE_RECORDING_INTERVAL_MS) return;
  await db.transaction(async (tx) => {
    const recorded = await tx
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, token.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`))))
      .returning({ id: apiTokens.id });
    if (recorded.length === 0 || idleMs < SESSION_IDLE_MS) return;
    await appendAudit(tx, [
      syncEntry({
        activity: 'LOGIN',
        result: 'OK',
        actor: audit.actor,
        description: `${audit.actor.username} started a session with API token "${token.name}"`,
        details: { tokenId: token.id, tokenName: token.name, previousUse: token.lastUsedAt?.toISOString() ?? null },
        correlationId: audit.correlationId,
      }),
    ]);
  });
}
