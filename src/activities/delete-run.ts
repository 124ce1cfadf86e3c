import { and, asc, count, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { conversationTags, conversations, deleteRuns, deleteTasks, legalHolds } from '../db/schema/index.js';
import { planRetention, taskSelects } from '../domain/retention.js';
import type { DeleteRunProgress } from '../workflows/delete-run.contract.js';
import type { ActivityDeps } from './deps.js';
import { deleteTaskRuleOf, retentionSubjectOf } from './retention.js';
import { NIL_UUID } from '../lib/ids.js';

type ConversationRow = typeof conversations.$inferSelect;
type Kept = { conversationId: string; reason: string };

/**
 * Plans a batch of conversations against the current delete tasks in three queries (tags, holds, tasks),
 * not three per conversation: which this task should delete now, and why the others it selects are kept.
 */
async function classify(executor: Executor, taskId: string, rows: readonly ConversationRow[]): Promise<{ due: string[]; kept: Kept[] }> {
  if (rows.length === 0) return { due: [], kept: [] };
  const ids = rows.map((row) => row.id);
  const tags = await executor
    .selectDistinct({ conversationId: conversationTags.conversationId, name: conversationTags.name, value: conversationTags.value })
    .from(conversationTags)
    .where(inArray(conversationTags.conversationId, ids));
  const holds = await executor
    .select({ conversationId: legalHolds.conversationId, value: count() })
    .from(legalHolds)
    .where(and(inArray(legalHolds.conversationId, ids), isNull(legalHolds.releasedAt)))
    .groupBy(legalHolds.conversationId);
  const rules = (await executor.select().from(deleteTasks).where(isNull(deleteTasks.removedAt))).map(deleteTaskRuleOf);
  const rule = rules.find((candidate) => candidate.id === taskId);
  if (!rule) return { due: [], kept: [] };
  const holdCount = new Map(holds.map((hold) => [hold.conversationId, hold.value]));
  const tagsOf = new Map<string, { name: string; value: string | null }[]>();
  for (const tag of tags) tagsOf.set(tag.conversationId, [...(tagsOf.get(tag.conversationId) ?? []), tag]);
  const due: string[] = [];
  const kept: Kept[] = [];
  const now = Date.now();
  for (const row of rows) {
    const subject = retentionSubjectOf(row, tagsOf.get(row.id) ?? [], holdCount.get(row.id) ?? 0);
    if (!taskSelects(rule, subject) || subject.startedAt.getTime() + rule.retentionSeconds * 1000 > now) continue;
    const plan = planRetention(subject, rules);
    if (plan.status === 'held') kept.push({ conversationId: row.id, reason: 'legal hold' });
    else if (plan.status !== 'due') kept.push({ conversationId: row.id, reason: 'not due' });
    else if (plan.taskId !== taskId) kept.push({ conversationId: row.id, reason: `due under delete task "${plan.taskName}"` });
    else if (plan.deleteAt.getTime() > now) kept.push({ conversationId: row.id, reason: 'protected (MiFID II tag or extension)' });
    else due.push(row.id);
  }
  return { due, kept };
}

export function deleteRunActivities({ db }: ActivityDeps) {
  return {
    /** Why a run of this task must not delete anything, or null. */
    async deleteRunRefusal(input: { taskId: string }): Promise<string | null> {
      const [task] = await db.select().from(deleteTasks).where(eq(deleteTasks.id, input.taskId));
      if (!task || task.removedAt) return 'delete task removed';
      if (!task.enabled) return 'delete task paused';
      return null;
    },

    /** One page of live conversations in id order, old enough for the task; `lastId` is null on the last page. */
    async selectDeleteRunPage(input: { taskId: string; afterId: string | null; limit: number }): Promise<{ due: string[]; kept: Kept[]; lastId: string | null }> {
      const [task] = await db.select().from(deleteTasks).where(and(eq(deleteTasks.id, input.taskId), isNull(deleteTasks.removedAt)));
      if (!task) return { due: [], kept: [], lastId: null };
      const rows = await db
        .select()
        .from(conversations)
        .where(
          and(
            isNull(conversations.deletedAt),
            eq(conversations.lifecycleState, 'captured'),
            gt(conversations.id, input.afterId ?? NIL_UUID),
            sql`coalesce(${conversations.startedAt}, ${conversations.createdAt}) <= now() - make_interval(secs => ${task.retentionSeconds})`,
          ),
        )
        .orderBy(asc(conversations.id))
        .limit(input.limit);
      const { due, kept } = await classify(db, input.taskId, rows);
      return { due, kept, lastId: rows.length === input.limit ? rows[rows.length - 1]!.id : null };
    },

    /** After the lifecycles were told: which are deleted, which are still due, which got protected meanwhile. */
    async tallyDeleteRunPage(input: { taskId: string; conversationIds: string[] }): Promise<{ deleted: string[]; pending: string[]; kept: Kept[] }> {
      if (input.conversationIds.length === 0) return { deleted: [], pending: [], kept: [] };
      const rows = await db.select().from(conversations).where(inArray(conversations.id, input.conversationIds));
      const deleted = rows.filter((row) => row.deletedAt !== null).map((row) => row.id);
      const { due, kept } = await classify(db, input.taskId, rows.filter((row) => row.deletedAt === null));
      const accounted = new Set([...deleted, ...due, ...kept.map((entry) => entry.conversationId)]);
      // A conversation the task no longer selects (its task was changed meanwhile) is kept, not pending.
      const unselected = input.conversationIds.filter((id) => !accounted.has(id)).map((id) => ({ conversationId: id, reason: 'no longer selected' }));
      return { deleted, pending: due, kept: [...kept, ...unselected] };
    },

    async recordDeleteRun(input: { runId: string; progress: DeleteRunProgress }): Promise<void> {
      const { taskId, selected, done, skipped, failed, skippedReasons, failures, refused, finished } = input.progress;
      const values = { selected, done, skipped, failed, report: { skippedReasons, failures, refused }, finishedAt: finished ? new Date() : null };
      await db.insert(deleteRuns).values({ id: input.runId, taskId, ...values }).onConflictDoUpdate({ target: deleteRuns.id, set: values });
    },
  };
}
