import { arrayOverlaps, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { conversationSegments, conversations, users } from '../../../db/schema/index.js';
import { isScoped } from '../../../domain/roles.js';
import type { Principal } from './principal.js';

/** The usernames whose conversations a supervisor sees: every user in a group they supervise. */
function supervisedAgents(principal: Principal): SQL {
  return sql`(select ${users.username} from ${users} where ${arrayOverlaps(users.groupNames, principal.supervisedGroups)})`;
}

/**
 * The conversations a caller may see, as a condition on `conversations` to AND into any query:
 * `undefined` means no restriction. Agents see their own conversations; supervisors those of every user
 * whose groups overlap the groups they supervise; a caller with both roles sees both. Use it for reads
 * and searches alike, so a conversation outside the scope is simply not found (its existence does not leak).
 */
export function conversationScope(principal: Principal): SQL | undefined {
  if (!isScoped(principal.roles)) return undefined;
  const visible: SQL[] = [];
  if (principal.roles.includes('agent')) visible.push(eq(conversations.agentUsername, principal.username));
  if (principal.roles.includes('supervisor') && principal.supervisedGroups.length > 0) {
    visible.push(sql`${conversations.agentUsername} in ${supervisedAgents(principal)}`);
  }
  return visible.length > 0 ? or(...visible) : sql`false`;
}

/**
 * A live call is seen by whoever sees its conversation and, since calls are handed over, by every agent
 * who took part in one of its segments (and their supervisors): the agent a call was transferred to tags it.
 */
export function callScope(principal: Principal): SQL | undefined {
  const conversation = conversationScope(principal);
  if (conversation === undefined) return undefined;
  const participants: SQL[] = [];
  if (principal.roles.includes('agent')) participants.push(sql`${principal.username} in (s.party_a, s.party_b)`);
  if (principal.roles.includes('supervisor') && principal.supervisedGroups.length > 0) {
    participants.push(sql`(s.party_a in ${supervisedAgents(principal)} or s.party_b in ${supervisedAgents(principal)})`);
  }
  if (participants.length === 0) return conversation;
  return or(
    conversation,
    sql`exists (select 1 from ${conversationSegments} s where s.conversation_id = ${conversations.id} and (${or(...participants)}))`,
  );
}

export type ObjectVisibility = 'visible' | 'hidden' | 'missing';

/** Whether one conversation exists and, if so, whether a scope covers it (for auditing a refusal). */
export async function conversationVisibility(db: Executor, scope: SQL | undefined, conversationId: string): Promise<ObjectVisibility> {
  const [row] = await db
    .select({ visible: sql<boolean>`coalesce(${scope ?? sql`true`}, false)` })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  if (!row) return 'missing';
  return row.visible ? 'visible' : 'hidden';
}
