import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { RouteHandler } from '@hono/zod-openapi';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditedChange } from '../../audit/write/audited.js';
import type { Transaction } from '../../db/client.js';
import { archiveRuns, archiveTasks } from '../../db/schema/index.js';
import { destinationsOverlap } from '../../domain/archive-paths.js';
import { ARCHIVE_RUN_WORKFLOW, archiveScheduleId } from '../../workflows/archive-run.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import { startTaskRunNow, taskRunView } from '../task-runs.js';
import { createArchiveSchedule } from '../../temporal/schedules.js';
import type { archiveTaskControl, createArchiveTaskRoute, listArchiveTasksRoute } from './routes.js';

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

/**
 * Refuses a destination that is, contains or lies inside another task's: a run writes its packages into
 * per-tag folders below its destination, so two tasks must never share a folder. Under a transaction-level
 * advisory lock, so two tasks created at once cannot both pass the check.
 */
async function refuseOverlappingDestination(tx: Transaction, destination: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('recordkeeper:archive-destinations'))`);
  const tasks = await tx
    .select({ id: archiveTasks.id, name: archiveTasks.name, destination: archiveTasks.destination })
    .from(archiveTasks)
    .where(isNull(archiveTasks.removedAt));
  const other = tasks.find((task) => destinationsOverlap(task.destination, destination));
  if (!other) return;
  const overlap = other.destination === destination ? 'is the same folder' : 'overlaps it (one lies inside the other)';
  throw new ProblemError(409, 'Destination in use', {
    detail: `Archive task "${other.name}" (${other.id}) writes to ${other.destination}; ${destination} ${overlap}`,
    errors: [{ pointer: '/destination', field: 'destination', message: `overlaps archive task ${other.id}` }],
  });
}

export function archiveTaskHandlers(deps: ApiDeps) {
  const findTask = async (taskId: string) => {
    const [task] = await deps.db.select().from(archiveTasks).where(and(eq(archiveTasks.id, taskId), isNull(archiveTasks.removedAt)));
    if (!task) throw new ProblemError(404, 'Archive task not found', { detail: taskId });
    return task;
  };
  const setPaused = async ({ actor, correlationId }: RequestContext, taskId: string, paused: boolean) => {
    const task = await findTask(taskId);
    return auditedChange(
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

  const createArchiveTask: RouteHandler<typeof createArchiveTaskRoute, AppEnv> = async (c) => {
    const input = c.req.valid('json');
    const destination = destinationInside(deps.archiveRoot, input.destination);
    const { actor, correlationId } = requestContext(c);
    const task = await auditedChange(
      deps.db,
      { activity: 'ARCHIVE_TASK_CHANGE', actor, correlationId, description: `Archive task "${input.name}" created`, details: { task: input } },
      async (tx) => {
        await refuseOverlappingDestination(tx, destination);
        const [created] = await tx.insert(archiveTasks).values({ id: randomUUID(), name: input.name, selection: input.selection, destination, intervalSeconds: input.intervalSeconds }).returning();
        // Inside the transaction: a schedule that cannot be created leaves no task behind.
        if (created!.intervalSeconds) await createArchiveSchedule(deps.temporal.client, deps.temporal.taskQueue, { id: created!.id, intervalSeconds: created!.intervalSeconds });
        return { value: created!, details: { taskId: created!.id } };
      },
    );
    return c.json(view(task), 201);
  };
  const listArchiveTasks: RouteHandler<typeof listArchiveTasksRoute, AppEnv> = async (c) => {
    const rows = await deps.db.select().from(archiveTasks).where(isNull(archiveTasks.removedAt)).orderBy(asc(archiveTasks.createdAt));
    return c.json({ items: rows.map(view) }, 200);
  };
  const trigger: RouteHandler<typeof archiveTaskControl.trigger, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    await findTask(taskId);
    const runId = await startTaskRunNow(deps, requestContext(c), { kind: 'archive', workflowType: ARCHIVE_RUN_WORKFLOW, taskId });
    return c.json({ runId }, 202);
  };
  const listRuns: RouteHandler<typeof archiveTaskControl.listRuns, AppEnv> = async (c) => {
    const { taskId } = c.req.valid('param');
    await findTask(taskId);
    const rows = await deps.db.select().from(archiveRuns).where(eq(archiveRuns.taskId, taskId)).orderBy(desc(archiveRuns.startedAt)).limit(100);
    return c.json({ items: rows.map(taskRunView) }, 200);
  };
  const pause: RouteHandler<typeof archiveTaskControl.pause, AppEnv> = async (c) => c.json(view(await setPaused(requestContext(c), c.req.valid('param').taskId, true)), 200);
  const resume: RouteHandler<typeof archiveTaskControl.resume, AppEnv> = async (c) => c.json(view(await setPaused(requestContext(c), c.req.valid('param').taskId, false)), 200);

  return { createArchiveTask, listArchiveTasks, trigger, listRuns, pause, resume };
}
