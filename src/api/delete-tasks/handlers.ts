import { randomUUID } from 'node:crypto';
import type { RouteHandler, z } from '@hono/zod-openapi';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditedChange } from '../../audit/write/audited.js';
import { deleteRuns, deleteTasks } from '../../db/schema/index.js';
import type { RequestContext } from '../../audit/write/actor.js';
import { DELETE_RUN_WORKFLOW } from '../../workflows/delete-run.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { startTaskRunNow, taskRunView } from '../task-runs.js';
import { startReplan } from './replan.js';
import type * as routes from './routes.js';
import { syncDeleteSchedule } from '../../temporal/schedules.js';

type TaskInput = z.infer<typeof routes.deleteTaskInputSchema>;
type TaskRow = typeof deleteTasks.$inferSelect;

const view = (row: TaskRow) => ({
  id: row.id,
  name: row.name,
  selection: row.selection as Record<string, unknown>,
  retentionSeconds: row.retentionSeconds,
  enabled: row.enabled,
  intervalSeconds: row.intervalSeconds,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const columns = (input: TaskInput) => ({
  name: input.name,
  selection: input.selection,
  retentionSeconds: input.retentionSeconds ?? input.retentionDays! * 86_400,
  enabled: input.enabled,
  intervalSeconds: input.intervalSeconds,
});

export function deleteTaskHandlers(deps: ApiDeps) {
  const live = isNull(deleteTasks.removedAt);
  // Inside the audited transaction: a schedule that cannot be made to match leaves the task unchanged.
  const syncSchedule = (row: TaskRow) =>
    syncDeleteSchedule(deps.temporal.client, deps.temporal.taskQueue, { id: row.id, intervalSeconds: row.intervalSeconds, enabled: row.enabled, removed: row.removedAt !== null });
  const findTask = async (taskId: string) => {
    const [task] = await deps.db.select().from(deleteTasks).where(and(eq(deleteTasks.id, taskId), live));
    if (!task) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
    return task;
  };
  const setEnabled = async ({ actor, correlationId }: RequestContext, taskId: string, enabled: boolean) => {
    const row = await auditedChange(
      deps.db,
      { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task ${taskId} ${enabled ? 'resumed' : 'paused'}`, details: { taskId, enabled } },
      async (tx) => {
        const [updated] = await tx.update(deleteTasks).set({ enabled, updatedAt: sql`now()` }).where(and(eq(deleteTasks.id, taskId), live)).returning();
        if (!updated) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
        await syncSchedule(updated);
        return { value: updated };
      },
    );
    await startReplan(deps, taskId);
    return row;
  };

  const createDeleteTask: RouteHandler<typeof routes.createDeleteTaskRoute, AppEnv> = async (c) => {
    const input = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const row = await auditedChange(
      deps.db,
      { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task "${input.name}" created`, details: { task: input } },
      async (tx) => {
        const [created] = await tx.insert(deleteTasks).values({ id: randomUUID(), ...columns(input) }).returning();
        await syncSchedule(created!);
        return { value: created!, details: { taskId: created!.id } };
      },
    );
    await startReplan(deps, row.id);
    return c.json(view(row), 201);
  };
  const listDeleteTasks: RouteHandler<typeof routes.listDeleteTasksRoute, AppEnv> = async (c) => {
    const rows = await deps.db.select().from(deleteTasks).where(live).orderBy(asc(deleteTasks.createdAt));
    return c.json({ items: rows.map(view) }, 200);
  };
  const replaceDeleteTask: RouteHandler<typeof routes.replaceDeleteTaskRoute, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    const input = c.req.valid('json');
    const { actor, correlationId } = requestContext(c);
    const row = await auditedChange(
      deps.db,
      { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task ${taskId} changed`, details: { taskId, task: input } },
      async (tx) => {
        const [before] = await tx.select().from(deleteTasks).where(and(eq(deleteTasks.id, taskId), live)).for('update');
        if (!before) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
        const [updated] = await tx.update(deleteTasks).set({ ...columns(input), updatedAt: sql`now()` }).where(eq(deleteTasks.id, taskId)).returning();
        await syncSchedule(updated!);
        return { value: updated!, details: { previous: view(before) } };
      },
    );
    await startReplan(deps, taskId);
    return c.json(view(row), 200);
  };
  const removeDeleteTask: RouteHandler<typeof routes.removeDeleteTaskRoute, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    const { actor, correlationId } = requestContext(c);
    await auditedChange(
      deps.db,
      { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task ${taskId} removed`, details: { taskId, removed: true } },
      async (tx) => {
        const [removed] = await tx.update(deleteTasks).set({ removedAt: sql`now()`, enabled: false }).where(and(eq(deleteTasks.id, taskId), live)).returning();
        if (!removed) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
        await syncSchedule(removed);
        return { value: undefined };
      },
    );
    await startReplan(deps, taskId);
    return c.body(null, 204);
  };
  const trigger: RouteHandler<typeof routes.deleteTaskControl.trigger, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    await findTask(taskId);
    const runId = await startTaskRunNow(deps, requestContext(c), { kind: 'delete', workflowType: DELETE_RUN_WORKFLOW, taskId });
    return c.json({ runId }, 202);
  };
  const listRuns: RouteHandler<typeof routes.deleteTaskControl.listRuns, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    const [task] = await deps.db.select({ id: deleteTasks.id }).from(deleteTasks).where(eq(deleteTasks.id, taskId));
    // Runs of a removed task stay readable: they are part of the proof of what was deleted.
    if (!task) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
    const rows = await deps.db.select().from(deleteRuns).where(eq(deleteRuns.taskId, taskId)).orderBy(desc(deleteRuns.startedAt)).limit(100);
    return c.json({ items: rows.map(taskRunView) }, 200);
  };
  const pause: RouteHandler<typeof routes.deleteTaskControl.pause, AppEnv> = async (c) => c.json(view(await setEnabled(requestContext(c), c.req.valid('param').taskId, false)), 200);
  const resume: RouteHandler<typeof routes.deleteTaskControl.resume, AppEnv> = async (c) => c.json(view(await setEnabled(requestContext(c), c.req.valid('param').taskId, true)), 200);

  return { createDeleteTask, listDeleteTasks, replaceDeleteTask, removeDeleteTask, trigger, listRuns, pause, resume };
}
