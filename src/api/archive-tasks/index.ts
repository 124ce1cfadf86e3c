import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import { runAudited } from '../../audit/audited-request.js';
import { archiveRuns, archiveTasks } from '../../db/schema/index.js';
import { ARCHIVE_RUN_WORKFLOW, archiveScheduleId } from '../../workflows/archive-run.contract.js';
import type { RequestContext } from '../../workflows/conversation-lifecycle.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { taskRunView } from '../task-runs.js';
import { createArchiveSchedule } from './schedule.js';
import {
  archiveTaskControl,
  createArchiveTaskRoute,
  listArchiveTasksRoute,
} from './routes.js';

const view = (row: typeof archiveTasks.$inferSelect) => ({
  id: row.id,
  name: row.name,
  selection: row.selection as unknown as Record<string, unknown>,
  destination: row.destination,
  intervalSeconds: row.intervalSeconds,
  paused: row.paused,
  createdAt: row.createdAt.toISOString(),
});

/** A destination must stay inside ARCHIVE_ROOT; it is stored relative to it. */
function destinationInside(root: string | undefined, destination: string): string {
  if (!root) throw new ProblemError(422, 'Archiving is not configured', { detail: 'Set ARCHIVE_ROOT' });
  const resolvedRoot = path.resolve(root);
  const resolved = path.resolve(resolvedRoot, destination);
  if (resolved === resolvedRoot || !resolved.startsWith(`${resolvedRoot}${path.sep}`)) {
    throw new ProblemError(422, 'Invalid destination', {
      detail: `The destination must be a folder inside the archive root`,
      errors: [{ pointer: '/destination', field: 'destination', message: 'must be a folder inside ARCHIVE_ROOT' }],
    });
  }
  return path.relative(resolvedRoot, resolved);
}

export function archiveTaskRoutes(deps: ApiDeps) {
  const findTask = async (taskId: string) => {
    const [task] = await deps.db.select().from(archiveTasks).where(and(eq(archiveTasks.id, taskId), isNull(archiveTasks.removedAt)));
    if (!task) throw new ProblemError(404, 'Archive task not found', { detail: taskId });
    return task;
  };
  const setPaused = async ({ actor, correlationId }: RequestContext, taskId: string, paused: boolean) => {
    const task = await findTask(taskId);
    return runAudited(
      deps.db,
      { activity: 'ARCHIVE_TASK_CHANGE', actor, correlationId, description: `Archive task ${taskId} ${paused ? 'paused' : 'resumed'}`, details: { taskId, paused } },
      async (tx) => {
        const [updated] = await tx.update(archiveTasks).set({ paused }).where(eq(archiveTasks.id, taskId)).returning();
        if (task.intervalSeconds) {
          const handle = deps.temporal.client.schedule.getHandle(archiveScheduleId(taskId));
          await (paused ? handle.pause('paused through the API') : handle.unpause('resumed through the API'));
        }
        return { value: updated! };
      },
    );
  };

  return new OpenAPIHono<AppEnv>()
    .openapi(createArchiveTaskRoute, async (c) => {
      const input = c.req.valid('json');
      const destination = destinationInside(deps.archiveRoot, input.destination);
      const { actor, correlationId } = requestContext(c);
      const task = await runAudited(
        deps.db,
        { activity: 'ARCHIVE_TASK_CHANGE', actor, correlationId, description: `Archive task "${input.name}" created`, details: { task: input } },
        async (tx) => {
          const [created] = await tx.insert(archiveTasks).values({ id: randomUUID(), name: input.name, selection: input.selection, destination, intervalSeconds: input.intervalSeconds }).returning();
          // Inside the transaction: a schedule that cannot be created leaves no task behind.
          if (created!.intervalSeconds) await createArchiveSchedule(deps.temporal.client, deps.temporal.taskQueue, { id: created!.id, intervalSeconds: created!.intervalSeconds });
          return { value: created!, details: { taskId: created!.id } };
        },
      );
      return c.json(view(task), 201);
    })
    .openapi(listArchiveTasksRoute, async (c) => {
      const rows = await deps.db.select().from(archiveTasks).where(isNull(archiveTasks.removedAt)).orderBy(asc(archiveTasks.createdAt));
      return c.json({ items: rows.map(view) }, 200);
    })
    .openapi(archiveTaskControl.trigger, async (c) => {
      const { taskId } = c.req.valid('param');
      await findTask(taskId);
      const runId = `archive-run-${taskId}-manual-${randomUUID()}`;
      const { actor, correlationId } = requestContext(c);
      await runAudited(
        deps.db,
        { activity: 'ARCHIVE_TASK_CHANGE', actor, correlationId, description: `Archive task ${taskId} run started on demand`, details: { taskId, runId } },
        async () => {
          await deps.temporal.client.workflow.start(ARCHIVE_RUN_WORKFLOW, { workflowId: runId, taskQueue: deps.temporal.taskQueue, args: [{ taskId }] });
          return { value: undefined };
        },
      );
      return c.json({ runId }, 202);
    })
    .openapi(archiveTaskControl.listRuns, async (c) => {
      const { taskId } = c.req.valid('param');
      await findTask(taskId);
      const rows = await deps.db.select().from(archiveRuns).where(eq(archiveRuns.taskId, taskId)).orderBy(desc(archiveRuns.startedAt)).limit(100);
      return c.json({ items: rows.map(taskRunView) }, 200);
    })
    .openapi(archiveTaskControl.pause, async (c) => c.json(view(await setPaused(requestContext(c), c.req.valid('param').taskId, true)), 200))
    .openapi(archiveTaskControl.resume, async (c) => c.json(view(await setPaused(requestContext(c), c.req.valid('param').taskId, false)), 200));
}
