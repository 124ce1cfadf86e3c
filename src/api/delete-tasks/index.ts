import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { z } from '@hono/zod-openapi';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { runAudited } from '../../audit/audited-request.js';
import { deleteTasks } from '../../db/schema/index.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { replanLiveConversations } from './replan.js';
import { createDeleteTaskRoute, deleteTaskInputSchema, listDeleteTasksRoute, removeDeleteTaskRoute, replaceDeleteTaskRoute } from './routes.js';

type TaskInput = z.infer<typeof deleteTaskInputSchema>;

const view = (row: typeof deleteTasks.$inferSelect) => ({
  id: row.id,
  name: row.name,
  selection: row.selection as Record<string, unknown>,
  retentionSeconds: row.retentionSeconds,
  enabled: row.enabled,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const columns = (input: TaskInput) => ({
  name: input.name,
  selection: input.selection,
  retentionSeconds: input.retentionSeconds ?? input.retentionDays! * 86_400,
  enabled: input.enabled,
});

export function deleteTaskRoutes(deps: ApiDeps) {
  const live = and(isNull(deleteTasks.removedAt));
  return new OpenAPIHono<AppEnv>()
    .openapi(createDeleteTaskRoute, async (c) => {
      const input = c.req.valid('json');
      const { actor, correlationId } = requestContext(c);
      const row = await runAudited(
        deps.db,
        { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task "${input.name}" created`, details: { task: input } },
        async (tx) => {
          const [created] = await tx.insert(deleteTasks).values({ id: randomUUID(), ...columns(input) }).returning();
          return { value: created!, details: { taskId: created!.id } };
        },
      );
      await replanLiveConversations(deps);
      return c.json(view(row), 201);
    })
    .openapi(listDeleteTasksRoute, async (c) => {
      const rows = await deps.db.select().from(deleteTasks).where(live).orderBy(asc(deleteTasks.createdAt));
      return c.json({ items: rows.map(view) }, 200);
    })
    .openapi(replaceDeleteTaskRoute, async (c) => {
      const { taskId } = c.req.valid('param');
      const input = c.req.valid('json');
      const { actor, correlationId } = requestContext(c);
      const row = await runAudited(
        deps.db,
        { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task ${taskId} changed`, details: { taskId, task: input } },
        async (tx) => {
          const [before] = await tx.select().from(deleteTasks).where(and(eq(deleteTasks.id, taskId), live)).for('update');
          if (!before) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
          const [updated] = await tx.update(deleteTasks).set({ ...columns(input), updatedAt: sql`now()` }).where(eq(deleteTasks.id, taskId)).returning();
          return { value: updated!, details: { previous: view(before) } };
        },
      );
      await replanLiveConversations(deps);
      return c.json(view(row), 200);
    })
    .openapi(removeDeleteTaskRoute, async (c) => {
      const { taskId } = c.req.valid('param');
      const { actor, correlationId } = requestContext(c);
      await runAudited(
        deps.db,
        { activity: 'DELETE_TASK_CHANGE', actor, correlationId, description: `Delete task ${taskId} removed`, details: { taskId, removed: true } },
        async (tx) => {
          const rows = await tx.update(deleteTasks).set({ removedAt: sql`now()`, enabled: false }).where(and(eq(deleteTasks.id, taskId), live)).returning({ id: deleteTasks.id });
          if (rows.length === 0) throw new ProblemError(404, 'Delete task not found', { detail: taskId });
          return { value: undefined };
        },
      );
      await replanLiveConversations(deps);
      return c.body(null, 204);
    });
}
