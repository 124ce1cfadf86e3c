import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { conversations, deleteRuns, deleteTasks } from '../db/schema/index.js';
import { deleteRunPageVerdicts, deleteRunTallyVerdicts } from '../retention/delete-run-verdicts.js';
import type { DeleteRunProgress, KeptConversation } from '../workflows/delete-run.contract.js';
import type { ActivityDeps } from './deps.js';
import { NIL_UUID } from '../lib/ids.js';

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
    async selectDeleteRunPage(input: { taskId: string; afterId: string | null; limit: number }): Promise<{ due: string[]; kept: KeptConversation[]; lastId: string | null }> {
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
      const { due, kept } = await deleteRunPageVerdicts(db, input.taskId, rows);
      return { due, kept, lastId: rows.length === input.limit ? rows[rows.length - 1]!.id : null };
    },

    /**
     * After the lifecycles were told: which are deleted, which are still due, and which are kept now (a hold
     * or protection arrived meanwhile, or the task changed), as the retention decision says.
     */
    async tallyDeleteRunPage(input: { taskId: string; conversationIds: string[] }): Promise<{ deleted: string[]; pending: string[]; kept: KeptConversation[] }> {
      if (input.conversationIds.length === 0) return { deleted: [], pending: [], kept: [] };
      const rows = await db.select().from(conversations).where(inArray(conversations.id, input.conversationIds));
      const deleted = rows.filter((row) => row.deletedAt !== null).map((row) => row.id);
      const { due, kept } = await deleteRunTallyVerdicts(db, rows.filter((row) => row.deletedAt === null));
      return { deleted, pending: due, kept };
    },

    async recordDeleteRun(input: { runId: string; progress: DeleteRunProgress }): Promise<void> {
      const { taskId, selected, done, skipped, failed, skippedReasons, skippedReasonCodes, kept, failures, refused, finished } = input.progress;
      const values = { selected, done, skipped, failed, report: { skippedReasons, skippedReasonCodes, kept, failures, refused }, finishedAt: finished ? new Date() : null };
      await db.insert(deleteRuns).values({ id: input.runId, taskId, ...values }).onConflictDoUpdate({ target: deleteRuns.id, set: values });
    },
  };
}
