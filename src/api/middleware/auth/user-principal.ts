import type { users } from '../../../db/schema/index.js';
import { ROLES, type Role } from '../../../domain/roles.js';
import type { Principal } from './principal.js';

const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);

/** Drops names that are not roles, so a stale or foreign role name can never match a permission. */
export function knownRoles(names: readonly unknown[]): Role[] {
  return names.filter((name): name is Role => typeof name === 'string' && KNOWN_ROLES.has(name));
}

export function principalOfUser(user: typeof users.$inferSelect, roles: readonly unknown[] = user.roles): Principal {
  return {
    userId: user.id,
    username: user.username,
    fullName: user.fullName,
    roles: knownRoles(roles),
    groupNames: user.groupNames,
    supervisedGroups: user.supervisedGroups,
    timeZone: user.timeZone,
  };
}
