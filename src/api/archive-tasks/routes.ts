import { createRoute, z } from '@hono/zod-openapi';
import { channelValueSchema } from '../../domain/contact-record.js';
import { taskControlRoutes } from '../task-runs.js';
import { jsonBody, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';

export const archiveTaskInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    selection: z
      .object({
        tag: z.object({ name: tagNameSchema, value: z.string().max(256).nullable().optional() }),
        channel: channelValueSchema.nullable().optional(),
        minAgeSeconds: z.number().int().min(0).nullable().optional(),
      })
      .strict(),
    destination: z.string().min(1).max(1024).openapi({
      description:
        "A folder inside ARCHIVE_ROOT (relative, or absolute within it); each task its own: one that is, contains or lies inside another task's destination (compared normalised, ignoring case) is refused with 409",
    }),
    intervalSeconds: z.number().int().min(60).max(366 * 86_400).nullable().default(null).openapi({ description: 'Run on a Temporal Schedule this often; null: on demand only' }),
  })
  .openapi('ArchiveTaskInput');

const archiveTaskSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    selection: z.record(z.string(), z.unknown()),
    destination: z.string(),
    intervalSeconds: z.number().int().nullable(),
    paused: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('ArchiveTask');

export const createArchiveTaskRoute = createRoute({
  method: 'post',
  path: '/v1/archive-tasks',
  tags: ['Archive'],
  summary: 'Define an archive task: copy conversations with a tag into their own destination, on a schedule',
  request: { body: jsonBody(archiveTaskInputSchema) },
  responses: {
    201: jsonResponse('Created', archiveTaskSchema),
    ...problemResponses(409, 422),
  },
});

export const listArchiveTasksRoute = createRoute({
  method: 'get',
  path: '/v1/archive-tasks',
  tags: ['Archive'],
  summary: 'List archive tasks',
  responses: { 200: jsonResponse('Tasks', z.object({ items: z.array(archiveTaskSchema) })) },
});

export const archiveTaskControl = taskControlRoutes({
  resource: 'archive-tasks',
  tag: 'Archive',
  taskSchema: archiveTaskSchema,
  summaries: {
    trigger: 'Run the task now; answers the run id to follow',
    listRuns: 'Runs of the task, newest first, with progress and report',
    pause: "Pause the task's schedule",
    resume: "Resume the task's schedule",
  },
});
