import { createRoute, z } from '@hono/zod-openapi';
import { channelValueSchema } from '../../domain/contact-record.js';
import { taskControlRoutes } from '../task-runs.js';
import { jsonBody, jsonResponse, problemResponses, tagNameSchema } from '../openapi-shared.js';

export const deleteTaskInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    selection: z
      .object({
        channel: channelValueSchema.nullable().optional(),
        queue: z.string().min(1).max(256).nullable().optional(),
        attribute: z.object({ key: z.string().min(1).max(128), value: z.string().max(1024) }).nullable().optional(),
        untaggedOnly: z.boolean().optional(),
        tag: z.object({ name: tagNameSchema, value: z.string().max(256).nullable().optional() }).nullable().optional(),
      })
      .strict(),
    retentionDays: z.number().int().min(0).max(36_500).optional(),
    /** Finer than days, for short test windows and for policies written in seconds. */
    retentionSeconds: z.number().int().min(0).max(36_500 * 86_400).optional(),
    enabled: z.boolean().default(true),
    /** Run the task on a Temporal Schedule every this many seconds; null or absent: only on demand. */
    intervalSeconds: z.number().int().min(1).max(366 * 86_400).nullable().default(null),
  })
  .refine((input) => (input.retentionDays === undefined) !== (input.retentionSeconds === undefined), {
    message: 'give exactly one of retentionDays and retentionSeconds',
    path: ['retentionDays'],
  })
  .openapi('DeleteTaskInput');

const deleteTaskSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    selection: z.record(z.string(), z.unknown()),
    retentionSeconds: z.number().int(),
    enabled: z.boolean(),
    intervalSeconds: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DeleteTask');
const taskIdParams = z.object({ taskId: z.uuid() });

export const createDeleteTaskRoute = createRoute({
  method: 'post',
  path: '/v1/delete-tasks',
  tags: ['Retention'],
  summary: 'Define a delete task: delete the selected conversations this long after they started, unless protected',
  request: { body: jsonBody(deleteTaskInputSchema) },
  responses: { 201: jsonResponse('Created', deleteTaskSchema), ...problemResponses(422) },
});

export const listDeleteTasksRoute = createRoute({
  method: 'get',
  path: '/v1/delete-tasks',
  tags: ['Retention'],
  summary: 'List delete tasks',
  responses: { 200: jsonResponse('Tasks', z.object({ items: z.array(deleteTaskSchema) })) },
});

export const replaceDeleteTaskRoute = createRoute({
  method: 'put',
  path: '/v1/delete-tasks/{taskId}',
  tags: ['Retention'],
  summary: 'Change a delete task; affected conversations are re-planned (protections are never shortened)',
  request: { params: taskIdParams, body: jsonBody(deleteTaskInputSchema) },
  responses: { 200: jsonResponse('Changed', deleteTaskSchema), ...problemResponses(404, 422) },
});

export const removeDeleteTaskRoute = createRoute({
  method: 'delete',
  path: '/v1/delete-tasks/{taskId}',
  tags: ['Retention'],
  summary: 'Remove a delete task (kept as history); affected conversations are re-planned',
  request: { params: taskIdParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(404, 422) },
});

export const deleteTaskControl = taskControlRoutes({
  resource: 'delete-tasks',
  tag: 'Retention',
  taskSchema: deleteTaskSchema,
  summaries: {
    trigger: 'Run the delete task now; answers the run id to follow',
    listRuns: 'Runs of the delete task, newest first, with progress and report (what was deleted, kept and why)',
    pause: 'Pause the task: it deletes nothing (its conversations are re-planned) and its schedule is paused',
    resume: 'Resume the task and its schedule',
  },
});
