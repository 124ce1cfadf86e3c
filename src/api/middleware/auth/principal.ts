import type { Actor } from '../../../audit/write/actor.js';
import type { Role } from '../../../domain/roles.js';

/** Who is calling, as the permission table and row-level scopes need to know it. */
export interface Principal {
  userId: string;
  username: string;
  fullName: string;
  roles: Role[];
  /** The agent groups the caller belongs to. */
  groupNames: string[];
  /** For supervisors: the groups whose agents' conversations they see. */
  supervisedGroups: string[];
  timeZone: string;
}

export function actorOf(principal: Principal): Actor {
  return { type: 'user', id: principal.userId, username: principal.username, fullName: principal.fullName };
}
