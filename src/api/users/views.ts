import type { ApiTokenRow } from '../../identity/api-tokens.js';
import type { UserRow } from '../../identity/users.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const userView = (row: UserRow) => ({
  id: row.id,
  username: row.username,
  fullName: row.fullName,
  email: row.email,
  roles: row.roles,
  groupNames: row.groupNames,
  supervisedGroups: row.supervisedGroups,
  timeZone: row.timeZone,
  notificationDelivery: row.notificationDelivery === 'daily-digest' ? ('daily-digest' as const) : ('immediate' as const),
  createdAt: row.createdAt.toISOString(),
  disabledAt: iso(row.disabledAt),
});

export const apiTokenView = (row: ApiTokenRow) => ({
  id: row.id,
  userId: row.userId,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt.toISOString(),
  expiresAt: row.expiresAt.toISOString(),
  revokedAt: iso(row.revokedAt),
  lastUsedAt: iso(row.lastUsedAt),
});
