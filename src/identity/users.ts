import { asc, eq, gt } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';
import { users } from '../db/schema/index.js';
import type { Role } from '../api/permissions.js';
import { auditedChange, type AuditContext } from './audited-change.js';
import { IdentityError } from './identity-error.js';
import type { NewUser } from './user-input.js';

export type UserRow = typeof users.$inferSelect;

export async function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row;
}

export async function findUserById(db: Executor, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row;
}

/** Users in username order, after `afterUsername` (keyset pagination). */
export async function listUsers(db: Executor, page: { limit: number; afterUsername?: string | undefined }): Promise<UserRow[]> {
  return db
    .select()
    .from(users)
    .where(page.afterUsername === undefined ? undefined : gt(users.username, page.afterUsername))
    .orderBy(asc(users.username))
    .limit(page.limit);
}

/** Creates a user (audited REGISTER); a taken username fails with `username-taken`. */
export async function createUser(db: Database, input: NewUser, audit: AuditContext): Promise<UserRow> {
  return auditedChange(
    db,
    audit,
    {
      activity: 'REGISTER',
      description: `User ${input.username} created with roles ${input.roles.join(', ')}`,
      details: { username: input.username, roles: input.roles, groupNames: input.groupNames, supervisedGroups: input.supervisedGroups },
    },
    async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({
          username: input.username,
          fullName: input.fullName,
          email: input.email ?? null,
          roles: input.roles,
          groupNames: input.groupNames,
          supervisedGroups: input.supervisedGroups,
          timeZone: input.timeZone,
        })
        .onConflictDoNothing({ target: users.username })
        .returning();
      if (!row) throw new IdentityError('username-taken', `Username ${input.username} is taken`);
      return { value: row, details: { userId: row.id } };
    },
  );
}

/** Replaces a user's roles (audited UPDATE_CUSTOM_ROLE, naming the roles added and removed). */
export async function setUserRoles(db: Database, userId: string, roles: readonly Role[], audit: AuditContext): Promise<UserRow> {
  const wanted = [...new Set(roles)];
  return auditedChange(db, audit, { activity: 'UPDATE_CUSTOM_ROLE', description: `Roles of user ${userId} set to ${wanted.join(', ')}`, details: { userId, roles: wanted } }, async (tx) => {
    // Lock the row so two concurrent changes each report what they really added and removed.
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new IdentityError('user-not-found', `No user ${userId}`);
    const [after] = await tx.update(users).set({ roles: wanted }).where(eq(users.id, userId)).returning();
    return {
      value: after!,
      details: {
        username: before.username,
        added: wanted.filter((role) => !before.roles.includes(role)),
        removed: before.roles.filter((role) => !wanted.includes(role as Role)),
      },
    };
  });
}
