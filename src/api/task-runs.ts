import { z } from '@hono/zod-openapi';
import type { TaskRunRow } from '../db/schema/task-runs.js';

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
