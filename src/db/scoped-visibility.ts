import { eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './client.js';

export type ScopedVisibility = 'visible' | 'hidden' | 'missing';

/** A table whose rows belong to a conversation (reviews, training assignments). */
type ConversationRecords = PgTable & { id: PgColumn; conversationId: PgColumn };

/**
 * Whether one row exists and whether a scope (a condition on its table; undefined: all) covers it, with
 * its conversation, so that a refusal can be audited against the conversation.
 */
export async function scopedVisibility(
  db: Executor,
  table: ConversationRecords,
  scope: SQL | undefined,
  id: string,
): Promise<{ visibility: ScopedVisibility; conversationId: string | null }> {
  const [row] = await db
    .select({ conversationId: table.conversationId, visible: sql<boolean>`coalesce(${scope ?? sql`true`}, false)` })
    .from(table)
    .where(eq(table.id, id));
  if (!row) return { visibility: 'missing', conversationId: null };
  return { visibility: row.visible ? 'visible' : 'hidden', conversationId: row.conversationId as string | null };
}
