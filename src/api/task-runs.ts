import { createRoute, z } from '@hono/zod-openapi';
import type { TaskRunRow } from '../db/schema/task-runs.js';
import { problemResponses } from './openapi-shared.js';

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
  const taskAnswer = (description: string) => ({ 200: { description, content: { 'application/json': { schema: kind.taskSchema } } }, ...problemResponses(404, 422) });
  return {
    trigger: createRoute({
      method: 'post',
      path: `${base}/runs`,
      tags: [kind.tag],
      summary: kind.summaries.trigger,
      request: { params: taskIdParams },
      responses: { 202: { description: 'Started', content: { 'application/json': { schema: z.object({ runId: z.string() }) } } }, ...problemResponses(404, 422) },
    }),
    listRuns: createRoute({
      method: 'get',
      path: `${base}/runs`,
      tags: [kind.tag],
      summary: kind.summaries.listRuns,
      request: { params: taskIdParams },
      responses: { 200: { description: 'Runs', content: { 'application/json': { schema: z.object({ items: z.array(taskRunSchema) }) } } }, ...problemResponses(404, 422) },
    }),
    pause: createRoute({ method: 'post', path: `${base}/pause`, tags: [kind.tag], summary: kind.summaries.pause, request: { params: taskIdParams }, responses: taskAnswer('Paused') }),
    resume: createRoute({ method: 'post', path: `${base}/resume`, tags: [kind.tag], summary: kind.summaries.resume, request: { params: taskIdParams }, responses: taskAnswer('Resumed') }),
  };
}
