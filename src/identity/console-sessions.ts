import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { AuditContext } from '../audit/write/audited.js';
import type { Database, Executor } from '../db/client.js';
import { apiTokens, consoleSessions, users } from '../db/schema/index.js';
import { hashApiToken } from './api-token-secret.js';

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** How long a console session lives: without a request (idle) and at most (absolute), whatever the activity. */
export interface ConsoleSessionLimits {
  idleMs: number;
  maxMs: number;
}

export const DEFAULT_CONSOLE_SESSION_LIMITS: ConsoleSessionLimits = { idleMs: 30 * 60_000, maxMs: 12 * 60 * 60_000 };

/** `rks_` + 32 random bytes: told apart from API tokens (`rk_`) by its prefix, unguessable. */
const SESSION_SECRET_PATTERN = /^rks_[A-Za-z0-9_-]{43}$/;

export function looksLikeConsoleSession(secret: string): boolean {
  return SESSION_SECRET_PATTERN.test(secret);
}

/** Last activity is written at most this often: a write per page view would double the cost of every read. */
const SEEN_RECORDING_INTERVAL_MS = 60_000;

export type SessionEndReason = 'sign-out' | 'idle' | 'expired' | 'revoked' | 'disabled';

const END_DESCRIPTIONS: Record<SessionEndReason, string> = {
  'sign-out': 'signed out of the console',
  idle: 'console session ended after the idle timeout',
  expired: 'console session reached its absolute time limit',
  revoked: 'console session ended: the API token that started it was revoked',
  disabled: 'console session ended: the user was disabled',
};

/** Who a session belongs to for the audit trail: its user row, else the identity provider's snapshot. */
function actorOfSession(session: ConsoleSessionRow, user: UserRow | null): Actor {
  if (user) return { type: 'user', id: user.id, username: user.username, fullName: user.fullName };
  const snapshot = session.principal!;
  return { type: 'user', id: snapshot.userId, username: snapshot.username, fullName: snapshot.fullName };
}

export type SessionPrincipalSnapshot = NonNullable<ConsoleSessionRow['principal']>;

/** Starts a session for a user whose credential was just checked; audited LOGIN in the same transaction. */
export async function startConsoleSession(
  db: Database,
  request: {
    /** The user row; null for an identity-provider user without one. */
    userId: string | null;
    method: 'api-token' | 'oidc';
    apiTokenId?: string;
    /** OIDC: who the ID token named, kept for the session's life (the provider is not asked again until sign-in). */
    principal?: SessionPrincipalSnapshot;
    limits: ConsoleSessionLimits;
    now?: Date;
  },
  audit: AuditContext,
): Promise<{ secret: string; session: ConsoleSessionRow }> {
  const now = request.now ?? new Date();
  const secret = `rks_${randomBytes(32).toString('base64url')}`;
  const session = await db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(consoleSessions)
      .values({
        userId: request.userId,
        secretHash: hashApiToken(secret),
        method: request.method,
        apiTokenId: request.apiTokenId ?? null,
        principal: request.principal ?? null,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + request.limits.maxMs),
      })
      .returning();
    await appendAudit(tx, [
      syncEntry({
        activity: 'LOGIN',
        result: 'OK',
        actor: audit.actor,
        description: `${audit.actor.username} signed in to the console (${request.method})`,
        details: { sessionId: inserted!.id, method: request.method, apiTokenId: request.apiTokenId ?? null, expiresAt: inserted!.expiresAt.toISOString() },
        correlationId: audit.correlationId,
      }),
    ]);
    return inserted!;
  });
  return { secret, session };
}

async function endSession(executor: Executor, session: ConsoleSessionRow, user: UserRow | null, reason: SessionEndReason, correlationId: string): Promise<boolean> {
  const actor = actorOfSession(session, user);
  // Conditional on still being open, so of two concurrent requests only one ends it and audits LOGOUT.
  const ended = await executor
    .update(consoleSessions)
    .set({ endedAt: sql`now()`, endReason: reason })
    .where(and(eq(consoleSessions.id, session.id), isNull(consoleSessions.endedAt)))
    .returning({ id: consoleSessions.id });
  if (ended.length === 0) return false;
  await appendAudit(executor, [
    syncEntry({
      activity: 'LOGOUT',
      result: 'OK',
      actor,
      description: `${actor.username} ${END_DESCRIPTIONS[reason]}`,
      details: { sessionId: session.id, reason, startedAt: session.createdAt.toISOString(), lastSeenAt: session.lastSeenAt.toISOString() },
      correlationId,
    }),
  ]);
  return true;
}

export type SessionResumption =
  | { ok: true; session: ConsoleSessionRow; user: UserRow | null }
  | { ok: false; reason: 'unknown' | 'ended' | SessionEndReason; actor?: Actor };

/**
 * The session a cookie names, if it is still open. A session found past a limit is ended there and then
 * (audited LOGOUT with the reason), so an abandoned session's end is on record from its next use.
 */
export async function resumeConsoleSession(
  db: Database,
  secret: string,
  limits: ConsoleSessionLimits,
  correlationId: string,
  now = new Date(),
): Promise<SessionResumption> {
  if (!looksLikeConsoleSession(secret)) return { ok: false, reason: 'unknown' };
  const [found] = await db
    .select({ session: consoleSessions, user: users, tokenRevokedAt: apiTokens.revokedAt })
    .from(consoleSessions)
    .leftJoin(users, eq(users.id, consoleSessions.userId))
    .leftJoin(apiTokens, eq(apiTokens.id, consoleSessions.apiTokenId))
    .where(eq(consoleSessions.secretHash, hashApiToken(secret)));
  if (!found) return { ok: false, reason: 'unknown' };
  const { session, user } = found;
  if (session.endedAt) return { ok: false, reason: 'ended', actor: actorOfSession(session, user) };
  const reason: SessionEndReason | undefined = user?.disabledAt
    ? 'disabled'
    : found.tokenRevokedAt
      ? 'revoked'
      : session.expiresAt <= now
        ? 'expired'
        : now.getTime() - session.lastSeenAt.getTime() >= limits.idleMs
          ? 'idle'
          : undefined;
  if (reason) {
    await db.transaction((tx) => endSession(tx, session, user, reason, correlationId));
    return { ok: false, reason, actor: actorOfSession(session, user) };
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= SEEN_RECORDING_INTERVAL_MS) {
    await db
      .update(consoleSessions)
      .set({ lastSeenAt: now })
      .where(and(eq(consoleSessions.id, session.id), lt(consoleSessions.lastSeenAt, now)));
  }
  return { ok: true, session, user };
}

/** Signs out: ends the session (audited LOGOUT); signing out of an ended session changes nothing. */
export async function endConsoleSession(db: Database, secret: string, correlationId: string): Promise<boolean> {
  if (!looksLikeConsoleSession(secret)) return false;
  const [found] = await db
    .select({ session: consoleSessions, user: users })
    .from(consoleSessions)
    .leftJoin(users, eq(users.id, consoleSessions.userId))
    .where(eq(consoleSessions.secretHash, hashApiToken(secret)));
  if (!found) return false;
  return db.transaction((tx) => endSession(tx, found.session, found.user, 'sign-out', correlationId));
}
