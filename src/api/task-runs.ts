import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { TaskRunRow } from '../db/schema/task-runs.js';
import { auditedChange } from '../audit/write/audited.js';
import type { RequestContext } from '../audit/write/actor.js';
import type { ApiDeps } from './deps.js';
import { jsonResponse, problemResponses } from './openapi-shared.js';

/** One run of an archive or delete task, as both task kinds report it. */
export const taskRunSchema = z
  .object({
    id: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    selected: z.number().int(),
    done: z.number().int(),
    skipped: z.number().int(),
    failed: z.number().int(),
    report: z.record(z.string(), z.unknown()),
  })
  .openapi('TaskRun');

export function taskRunView(run: TaskRunRow): z.infer<typeof taskRunSchema> {
  return {
    id: run.id,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    selected: run.selected,
    done: run.done,
    skipped: run.skipped,
    failed: run.failed,
    report: run.report,
  };
}

const taskIdParams = z.object({ taskId: z.uuid() });

/**
 * The operations archive and delete tasks share: run now, list runs, pause and resume. Each task kind gives
 * its path, OpenAPI tag, task schema and what pausing means for it.
 */
export function taskControlRoutes<TaskSchema extends z.ZodType>(kind: {
  resource: 'archive-tasks' | 'delete-tasks';
  tag: string;
  taskSchema: TaskSchema;
  summaries: { trigger: string; listRuns: string; pause: string; resume: string };
}) {
  const base = `/v1/${kind.resource}/{taskId}` as const;
  const taskAnswer = (description: string) => ({ 200: jsonResponse(description, kind.taskSchema), ...problemResponses(404, 422) });
  return {
    trigger: createRoute({
      method: 'post',
      path: `${base}/runs`,
      tags: [kind.tag],
      summary: kind.summaries.trigger,
      request: { params: taskIdParams },
      responses: { 202: jsonResponse('Started', z.object({ runId: z.string() })), ...problemResponses(404, 422) },
    }),
    listRuns: createRoute({
      method: 'get',
      path: `${base}/runs`,
      tags: [kind.tag],
      summary: kind.summaries.listRuns,
      request: { params: taskIdParams },
      responses: { 200: jsonResponse('Runs', z.object({ items: z.array(taskRunSchema) })), ...problemResponses(404, 422) },
    }),
    pause: createRoute({ method: 'post', path: `${base}/pause`, tags: [kind.tag], summary: kind.summaries.pause, request: { params: taskIdParams }, responses: taskAnswer('Paused') }),
    resume: createRoute({ method: 'post', path: `${base}/resume`, tags: [kind.tag], summary: kind.summaries.resume, request: { params: taskIdParams }, responses: taskAnswer('Resumed') }),
  };
}

const TASK_KINDS = {
  archive: { label: 'Archive task', activity: 'ARCHIVE_TASK_CHANGE' },
  delete: { label: 'Delete task', activity: 'DELETE_TASK_CHANGE' },
} as const;

/**
 * Starts a run of a task now, beside its schedule, audited as a change of the task; returns the run's
 * workflow id, which names the run in its task's list of runs.
 */
export async function startTaskRunNow(
  deps: Pick<ApiDeps, 'db' | 'temporal'>,
  context: RequestContext,
  run: { kind: keyof typeof TASK_KINDS; workflowType: string; taskId: string },
): Promise<string> {
  const { label, activity } = TASK_KINDS[run.kind];
  const { taskId } = run;
  const runId = `${run.kind}-run-${taskId}-manual-${randomUUID()}`;
  await auditedChange(
    deps.db,
    { activity, actor: context.actor, correlationId: context.correlationId, description: `${label} ${taskId} run started on demand`, details: { taskId, runId } },
    async () => {
      await deps.temporal.client.workflow.start(run.workflowType, { workflowId: runId, taskQueue: deps.temporal.taskQueue, args: [{ taskId }] });
      return { value: undefined };
    },
  );
  return runId;
}
