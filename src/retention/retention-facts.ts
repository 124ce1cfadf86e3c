import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { auditLog, conversationTags, conversations, deleteTasks, legalHolds, reviews, tagDefinitions } from '../db/schema/index.js';
import type { RetentionFacts } from '../domain/retention-decision.js';
import { OPEN_REVIEW_STATUSES } from '../reviews/review-creation.js';
import type { DeleteTaskRule, SelectionSubject } from '../domain/retention.js';

export type ConversationRow = typeof conversations.$inferSelect;
type Tag = { name: string; value: string | null };

/** The facts a retention decision takes, plus what the retention overview shows of each hold. */
export interface LoadedRetentionFacts extends RetentionFacts {
  holds: { id: string; reason: string; placedAt: Date; placedBy: string }[];
  openReviews: { id: string }[];
}

/** What a delete task's selection looks at, from a conversation row and its tags. */
export function selectionSubjectOf(conversation: ConversationRow, tags: readonly Tag[]): SelectionSubject {
  return { channel: conversation.channel, queue: conversation.queueName, attributes: conversation.attributes, tags };
}

export function deleteTaskRuleOf(task: typeof deleteTasks.$inferSelect): DeleteTaskRule {
  return { id: task.id, name: task.name, enabled: task.enabled, retentionSeconds: task.retentionSeconds, selection: task.selection };
}

/** The delete tasks in force (paused ones too: `taskSelects` passes over them). */
export async function loadDeleteTaskRules(executor: Executor): Promise<DeleteTaskRule[]> {
  return (await executor.select().from(deleteTasks).where(isNull(deleteTasks.removedAt))).map(deleteTaskRuleOf);
}

function groupBy<T extends { conversationId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.conversationId, [...(groups.get(row.conversationId) ?? []), row]);
  return groups;
}

/**
 * The retention facts of a page of conversations in four queries (tags with their protection, active
 * holds, extensions, open reviews), not four per conversation.
 */
export async function loadRetentionFacts(executor: Executor, rows: readonly ConversationRow[]): Promise<Map<string, LoadedRetentionFacts>> {
  if (rows.length === 0) return new Map();
  const ids = rows.map((row) => row.id);
  const tags = await executor
    .selectDistinct({ conversationId: conversationTags.conversationId, name: conversationTags.name, value: conversationTags.value, protectionYears: tagDefinitions.protectionYears })
    .from(conversationTags)
    .leftJoin(tagDefinitions, eq(tagDefinitions.name, conversationTags.name))
    .where(inArray(conversationTags.conversationId, ids));
  const holds = await executor
    .select({ conversationId: legalHolds.conversationId, id: legalHolds.id, reason: legalHolds.reason, placedAt: legalHolds.placedAt, placedBy: legalHolds.placedBy })
    .from(legalHolds)
    .where(and(inArray(legalHolds.conversationId, ids), isNull(legalHolds.releasedAt)));
  // The audit entry an extension writes in its own transaction is its only record; one that moved nothing writes none.
  const extensions = await executor
    .select({ conversationId: auditLog.conversationId, details: auditLog.details })
    .from(auditLog)
    .where(and(inArray(auditLog.conversationId, ids), eq(auditLog.activity, 'RETENTION_EXTEND'), eq(auditLog.phase, 'SYNC'), eq(auditLog.result, 'OK')));

  const open = await executor
    .select({ conversationId: reviews.conversationId, id: reviews.id })
    .from(reviews)
    .where(and(inArray(reviews.conversationId, ids), inArray(reviews.status, [...OPEN_REVIEW_STATUSES])));

  const tagsOf = groupBy(tags);
  const openReviewsOf = groupBy(open);
  const holdsOf = groupBy(holds);
  const extensionsOf = groupBy(extensions.flatMap((entry) => (entry.conversationId ? [{ ...entry, conversationId: entry.conversationId }] : [])));
  return new Map(
    rows.map((row) => {
      const own = tagsOf.get(row.id) ?? [];
      const protecting = [...new Map(own.flatMap((tag) => (tag.protectionYears ? [[tag.name, { name: tag.name, protectionYears: tag.protectionYears }] as const] : []))).values()];
      const facts: LoadedRetentionFacts = {
        // A tag's protection depends on its name alone, so these rows are distinct by name and value already.
        ...selectionSubjectOf(row, own.map(({ name, value }) => ({ name, value }))),
        startedAt: row.startedAt ?? row.createdAt,
        protectingTags: protecting.sort((a, b) => a.name.localeCompare(b.name)),
        protectedUntil: row.protectedUntil,
        extensions: (extensionsOf.get(row.id) ?? []).flatMap((entry) => {
          const until = typeof entry.details.protectedUntil === 'string' ? new Date(entry.details.protectedUntil) : null;
          return until && !Number.isNaN(until.getTime()) ? [{ until }] : [];
        }),
        openReviews: (openReviewsOf.get(row.id) ?? []).map(({ id }) => ({ id })).sort((a, b) => a.id.localeCompare(b.id)),
        holds: (holdsOf.get(row.id) ?? []).map(({ id, reason, placedAt, placedBy }) => ({ id, reason, placedAt, placedBy })).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.id.localeCompare(b.id)),
      };
      return [row.id, facts];
    }),
  );
}
