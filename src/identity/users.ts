import { and, arrayContains, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Database, Executor, Transaction } from '../db/client.js';
import { users } from '../db/schema/index.js';
import type { Role } from '../domain/roles.js';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import { assignOnboarding } from '../training/training-assignments.js';
import { IdentityError } from './identity-error.js';
import type { NewUser, NotificationDelivery } from './user-input.js';

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
    {
      ...audit,
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
          notificationDelivery: input.notificationDelivery ?? 'immediate',
        })
        .onConflictDoNothing({ target: users.username })
        .returning();
      if (!row) throw new IdentityError('username-taken', `Username ${input.username} is taken`);
      // A new agent gets the onboarding packs in the transaction that creates them.
      const onboarding = row.roles.includes('agent') ? await assignOnboarding(tx, { id: row.id, username: row.username, groupNames: row.groupNames }, audit) : [];
      return { value: row, details: { userId: row.id, ...(onboarding.length > 0 ? { onboardingAssignmentIds: onboarding.map((assignment) => assignment.id) } : {}) } };
    },
  );
}

/** Replaces a user's roles (audited UPDATE_CUSTOM_ROLE, naming the roles added and removed). */
export async function setUserRoles(db: Database, userId: string, roles: readonly Role[], audit: AuditContext): Promise<UserRow> {
  const wanted = [...new Set(roles)];
  return auditedChange(db, { ...audit, activity: 'UPDATE_CUSTOM_ROLE', description: `Roles of user ${userId} set to ${wanted.join(', ')}`, details: { userId, roles: wanted } }, async (tx) => {
    // Lock the row so two concurrent changes each report what they really added and removed.
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new IdentityError('user-not-found', `No user ${userId}`);
    if (before.roles.includes('admin') && !wanted.includes('admin')) await refuseLosingLastAdmin(tx, before);
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

/**
 * Nobody could administer the engine again without a database shell: the last enabled admin keeps the
 * role and stays enabled. Serialised by a transaction lock, so two admins removing each other cannot both win.
 */
async function refuseLosingLastAdmin(tx: Transaction, user: UserRow): Promise<void> {
  if (user.disabledAt !== null) return;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('recordkeeper:last-admin'))`);
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(arrayContains(users.roles, ['admin']), isNull(users.disabledAt), ne(users.id, user.id)))
    .limit(1);
  if (!other) throw new IdentityError('last-admin', `${user.username} is the only enabled admin; make another admin first`);
}

/**
 * Disables or re-enables a user (audited EDIT_USER): a disabled user's tokens and identity-provider tokens
 * are refused from the next request on; the row stays, so audit entries keep their name.
 */
export async function setUserDisabled(db: Database, userId: string, disabled: boolean, reason: string, audit: AuditContext): Promise<UserRow> {
  const verb = disabled ? 'disabled' : 'enabled';
  return auditedChange(db, { ...audit, activity: 'EDIT_USER', description: `User ${userId} ${verb}`, details: { userId, disabled, reason } }, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new IdentityError('user-not-found', `No user ${userId}`);
    if (disabled && before.roles.includes('admin')) await refuseLosingLastAdmin(tx, before);
    const changed = disabled ? before.disabledAt === null : before.disabledAt !== null;
    const [after] = changed ? await tx.update(users).set({ disabledAt: disabled ? sql`now()` : null }).where(eq(users.id, userId)).returning() : [before];
    return { value: after!, details: { username: before.username, changed } };
  });
}

/**
 * How a user's notification mails come (audited EDIT_USER): one by one, or as a daily digest. Mails queued
 * before the change keep the delivery they were queued with.
 */
export async function setNotificationDelivery(db: Database, userId: string, delivery: NotificationDelivery, audit: AuditContext): Promise<UserRow> {
  return auditedChange(
    db,
    { ...audit, activity: 'EDIT_USER', description: `Notification delivery of user ${userId} set to ${delivery}`, details: { userId, notificationDelivery: delivery } },
    async (tx) => {
      const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
      if (!before) throw new IdentityError('user-not-found', `No user ${userId}`);
      const [after] = before.notificationDelivery === delivery ? [before] : await tx.update(users).set({ notificationDelivery: delivery }).where(eq(users.id, userId)).returning();
      return { value: after!, details: { username: before.username, changed: before.notificationDelivery !== delivery, previous: before.notificationDelivery } };
    },
  );
}
