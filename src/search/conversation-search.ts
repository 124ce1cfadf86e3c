import { and, eq, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { conversationEmails, conversations } from '../db/schema/index.js';
import { searchConditions, type ConversationSearchFilters } from './search-filters.js';

/**
 * Where a page ended: the last row's start time exactly as PostgreSQL holds it (microseconds, which a JS
 * Date would round away) and its id. Newest first; conversations without a start time come last.
 */
export interface SearchPosition {
  startedAt: string | null;
  id: string;
}

export interface ConversationSearchRow {
  id: string;
  source: string;
  channel: string;
  lifecycleState: string;
  startedAt: Date | null;
  endedAt: Date | null;
  agentUsername: string | null;
  queueName: string | null;
  customerAddress: string | null;
  systemAddress: string | null;
  attributes: Record<string, string>;
  email: { messageId: string | null; from: string | null; to: string[]; cc: string[]; subject: string | null; sentAt: Date | null } | null;
  position: SearchPosition;
}

const c = conversations;
const e = conversationEmails;
const startedAtText = sql<string | null>`to_char(${c.startedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

async function selectPage(db: Executor, where: SQL | undefined, orderBy: SQL[], limit: number): Promise<ConversationSearchRow[]> {
  const rows = await db
    .select({
      id: c.id,
      source: c.source,
      channel: c.channel,
      lifecycleState: c.lifecycleState,
      startedAt: c.startedAt,
      endedAt: c.endedAt,
      agentUsername: c.agentUsername,
      queueName: c.queueName,
      customerAddress: c.customerAddress,
      systemAddress: c.systemAddress,
      attributes: c.attributes,
      startedAtText,
      emailConversationId: e.conversationId,
      messageId: e.messageId,
      emailFrom: e.fromAddress,
      emailTo: e.toAddresses,
      emailCc: e.ccAddresses,
      subject: e.subject,
      sentAt: e.sentAt,
    })
    .from(c)
    .leftJoin(e, eq(e.conversationId, c.id))
    .where(where)
    .orderBy(...orderBy)
    .limit(limit);
  return rows.map(({ startedAtText: text, emailConversationId, messageId, emailFrom, emailTo, emailCc, subject, sentAt, ...row }) => ({
    ...row,
    email: emailConversationId ? { messageId, from: emailFrom, to: emailTo ?? [], cc: emailCc ?? [], subject, sentAt } : null,
    position: { startedAt: text, id: row.id },
  }));
}

/** Spelled as the indexes are (drizzle writes DESC NULLS LAST), or PostgreSQL sorts instead of walking them. */
const idNewestFirst = sql`${c.id} desc nulls last`;

/**
 * Keyset-paginated search, newest first: `limit` rows after `after`. `scope` restricts the caller to the
 * conversations they may see. Conversations with a start time are read first and those without one after
 * them, each in its own query, so both walk the (started_at desc nulls last, id desc) indexes in order
 * instead of sorting every match.
 */
export async function searchConversations(
  db: Executor,
  request: { filters: ConversationSearchFilters; scope?: SQL; after?: SearchPosition; limit: number },
): Promise<ConversationSearchRow[]> {
  const matching = [...searchConditions(request.filters), request.scope];
  const position = request.after;
  const rows: ConversationSearchRow[] = [];
  if (!position || position.startedAt !== null) {
    const afterPosition = position ? sql`(${c.startedAt}, ${c.id}) < (${position.startedAt}::timestamptz, ${position.id}::uuid)` : isNotNull(c.startedAt);
    rows.push(...(await selectPage(db, and(...matching, afterPosition), [sql`${c.startedAt} desc nulls last`, idNewestFirst], request.limit)));
  }
  if (rows.length < request.limit) {
    const afterPosition = position?.startedAt === null ? lt(c.id, position.id) : undefined;
    rows.push(...(await selectPage(db, and(...matching, isNull(c.startedAt), afterPosition), [idNewestFirst], request.limit - rows.length)));
  }
  return rows;
}
