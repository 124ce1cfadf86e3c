import { and, asc, eq, gt, isNull, or } from 'drizzle-orm';
import { conversations, deleteTasks } from '../db/schema/index.js';
import type { ActivityDeps } from './deps.js';
import { deleteTaskSelectionCondition } from './delete-task-selection.js';
import { NIL_UUID } from '../lib/ids.js';

export function retentionReplanActivities({ db }: ActivityDeps) {
  return {
    /**
     * Live conversations whose plan a change of this task can move: those planned under it now, and those
     * its current selection picks (it may now come first). Everything else keeps its plan.
     */
    async findReplanCandidates(input: { taskId: string; afterId: string | null; limit: number }): Promise<string[]> {
      const [task] = await db.select().from(deleteTasks).where(eq(deleteTasks.id, input.taskId));
      const selected = task && !task.removedAt && task.enabled ? deleteTaskSelectionCondition(task.selection) : undefined;
      const affected = selected ? or(eq(conversations.deleteTaskId, input.taskId), selected) : eq(conversations.deleteTaskId, input.taskId);
      const rows = await db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(isNull(conversations.deletedAt), eq(conversations.lifecycleState, 'captured'), gt(conversations.id, input.afterId ?? NIL_UUID), affected))
        .orderBy(asc(conversations.id))
        .limit(input.limit);
      return rows.map((row) => row.id);
    },
  };
}
