import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
