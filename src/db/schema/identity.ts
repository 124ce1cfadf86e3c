import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * People and machine clients that call the API. Roles are checked against the permission table
 * (src/api/permissions.ts); group names scope what supervisors see: a supervisor sees the conversations
 * of every user whose `group_names` overlap their `supervised_groups`.
 */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull().unique(),
    fullName: text('full_name').notNull(),
    email: text('email'),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
    groupNames: text('group_names').array().notNull().default(sql`'{}'::text[]`),
    supervisedGroups: text('supervised_groups').array().notNull().default(sql`'{}'::text[]`),
    /** IANA zone in which times are rendered for this user (the seed's Audit Log shows the viewer's time). */
    timeZone: text('time_zone').notNull().default('UTC'),
    /** immediate: one mail per event; daily-digest: the day's events in one mail, sent in the user's morning. */
    notificationDelivery: text('notification_delivery').notNull().default('immediate'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** A disabled user's tokens are refused; the row stays so audit entries keep a name. */
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  // Supervisor scoping asks "whose groups overlap these": an array-overlap lookup.
  (table) => [
    index('users_group_names_idx').using('gin', table.groupNames),
    check('users_notification_delivery_ck', sql`${table.notificationDelivery} in ('immediate', 'daily-digest')`),
  ],
);

/**
 * Opaque API tokens. Only the SHA-256 of a token is stored: a leaked table grants nothing. `prefix` is the
 * token's first characters, enough for an admin to tell tokens apart without being able to use them.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (table) => [index('api_tokens_user_idx').on(table.userId)],
);

/**
 * Browser sessions of the web console. The cookie carries a random secret; only its SHA-256 is stored. A
 * session is started by signing in with an API token (or OIDC) and ends at sign-out, after `idleTimeoutMs`
 * without a request, at `expiresAt` (the absolute limit), or when the token that started it is revoked.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The user row; null for an identity-provider user without one (then `principal` is all there is). */
    userId: uuid('user_id').references(() => users.id),
    /** For OIDC sessions: who the ID token named (username, name, roles, zone), taken at sign-in. */
    principal: jsonb('principal').$type<{ userId: string; username: string; fullName: string; roles: string[]; timeZone: string }>(),
    secretHash: text('secret_hash').notNull().unique(),
    /** How the session was started: `api-token` or `oidc`. */
    method: text('method').notNull(),
    /** The API token signed in with; revoking it ends the session. */
    apiTokenId: uuid('api_token_id').references(() => apiTokens.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** sign-out, idle, expired, revoked, disabled. */
    endReason: text('end_reason'),
  },
  (table) => [
    index('console_sessions_user_idx').on(table.userId),
    check('console_sessions_who_ck', sql`${table.userId} is not null or ${table.principal} is not null`),
  ],
);
