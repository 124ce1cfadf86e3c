import { arrayOverlaps, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { conversations, users } from '../../db/schema/index.js';
import type { Role } from '../permissions.js';
import type { Principal } from './principal.js';

/** Roles that see every conversation their route lets them read; agents and supervisors see a subset. */
const UNSCOPED_ROLES: readonly Role[] = ['admin', 'cc-manager', 'compliance-analyst', 'auditor', 'evaluator'];

/**
 * The conversations a caller may see, as a condition on `conversations` to AND into any query:
 * `undefined` means no restriction. Agents see their own conversations; supervisors those of every user
 * whose groups overlap the groups they supervise; a caller with both roles sees both. Use it for reads
 * and searches alike, so a conversation outside the scope is simply not found (its existence does not leak).
 */
export function conversationScope(principal: Principal): SQL | undefined {
  if (principal.roles.some((role) => UNSCOPED_ROLES.includes(role))) return undefined;
  const visible: SQL[] = [];
  if (principal.roles.includes('agent')) visible.push(eq(conversations.agentUsername, principal.username));
  if (principal.roles.includes('supervisor') && principal.supervisedGroups.length > 0) {
    visible.push(
      sql`${conversations.agentUsername} in (select ${users.username} from ${users} where ${arrayOverlaps(users.groupNames, principal.supervisedGroups)})`,
    );
  }
  return visible.length > 0 ? or(...visible) : sql`false`;
}

export type ConversationVisibility = 'visible' | 'hidden' | 'missing';

/** Whether one conversation exists and, if so, whether the caller's scope covers it (for auditing a refusal). */
export async function conversationVisibility(db: Executor, principal: Principal, conversationId: string): Promise<ConversationVisibility> {
  const scope = conversationScope(principal) ?? sql`true`;
  const [row] = await db
    .select({ visible: sql<boolean>`coalesce(${scope}, false)` })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!row) return 'missing';
  return row.visible ? 'visible' : 'hidden';
}
