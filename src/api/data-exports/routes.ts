import { createRoute, z } from '@hono/zod-openapi';
import { EXPORT_DELIVERIES, EXPORT_SOURCES, parseExportFilters } from '../../exports/export-filters.js';
import { jsonBody, jsonResponse, problemResponses } from '../openapi-shared.js';

export const dataExportInputSchema = z
  .object({
    name: z.string().min(1).max(200),
    source: z.enum(EXPORT_SOURCES).openapi({ description: 'conversations: interaction metadata; review-scores: completed reviews and their scores' }),
    filters: z
      .record(z.string(), z.unknown())
      .default({})
      .openapi({
        description:
          'conversations: startedAt {from, to} or {lastDays}, channel, queue, agent, tag. review-scores: completedAt {from, to} or {lastDays}, ' +
          'questionnaireId, agent, agentGroup, tier. lastDays counts back from each run (a scheduled run: its nominal time).',
        example: { startedAt: { lastDays: 1 }, queue: 'advice' },
      }),
    timeZone: z.string().min(1).max(64).optional().openapi({ description: "IANA zone of every time in the file; default: the requester's own", example: 'Europe/Berlin' }),
    schedule: z
      .object({
        every: z.enum(['day', 'week', 'month']).openapi({ description: 'every day, every Monday, or on the 1st of each month' }),
        at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00 to 23:59'),
      })
      .nullable()
      .default(null)
      .openapi({ description: 'Runs on a Temporal Schedule in the export’s time zone; null: by hand only' }),
    delivery: z.enum(EXPORT_DELIVERIES).default('download').openapi({ description: 'download: kept for download; email: also mailed to the owner (attached up to a size limit, else linked)' }),
    enabled: z.boolean().default(true).openapi({ description: 'A disabled export’s schedule is paused; it may still be run by hand' }),
  })
  .superRefine((input, ctx) => {
    const parsed = parseExportFilters(input.source, input.filters);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const path = keys.length === 1 ? [...issue.path, keys[0]!] : issue.path;
      ctx.addIssue({ code: 'custom', path: ['filters', ...path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))], message: issue.message });
    }
  })
  .openapi('DataExportInput');

export const dataExportSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    source: z.enum(EXPORT_SOURCES),
    filters: z.record(z.string(), z.unknown()),
    timeZone: z.string(),
    schedule: z.object({ every: z.enum(['day', 'week', 'month']), at: z.string() }).nullable(),
    delivery: z.enum(EXPORT_DELIVERIES),
    ownerId: z.uuid(),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    removedAt: z.string().nullable(),
  })
  .openapi('DataExport');

export const dataExportRunSchema = z
  .object({
    runId: z.uuid(),
    exportId: z.uuid(),
    trigger: z.enum(['manual', 'scheduled']),
    scheduledFor: z.string().nullable(),
    requestedBy: z.string(),
    status: z.enum(['running', 'completed', 'failed']),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    rowCount: z.number().int().nullable(),
    sizeBytes: z.number().int().nullable(),
    sha256: z.string().nullable(),
    emailedAt: z.string().nullable(),
    error: z.string().nullable(),
    downloadPath: z.string().nullable().openapi({ description: 'Where a completed run’s file is downloaded' }),
  })
  .openapi('DataExportRun');

const exportParams = z.object({ exportId: z.uuid() });
const runParams = z.object({ exportId: z.uuid(), runId: z.uuid() });

export const createDataExportRoute = createRoute({
  method: 'post',
  path: '/v1/data-exports',
  tags: ['Data exports'],
  summary: 'Define a data export: interaction metadata or review scores by filters, as CSV, by hand or on a schedule',
  request: { body: jsonBody(dataExportInputSchema) },
  responses: { 201: jsonResponse('Created', dataExportSchema), ...problemResponses(422) },
});

export const listDataExportsRoute = createRoute({
  method: 'get',
  path: '/v1/data-exports',
  tags: ['Data exports'],
  summary: 'The data exports the caller sees (their own; admins, CC managers and auditors: all), newest first',
  request: { query: z.object({ includeRemoved: z.enum(['true', 'false']).default('false') }) },
  responses: { 200: jsonResponse('Exports', z.object({ items: z.array(dataExportSchema) })), ...problemResponses(422) },
});

export const getDataExportRoute = createRoute({
  method: 'get',
  path: '/v1/data-exports/{exportId}',
  tags: ['Data exports'],
  summary: 'One data export',
  request: { params: exportParams },
  responses: { 200: jsonResponse('The export', dataExportSchema), ...problemResponses(404, 422) },
});

export const updateDataExportRoute = createRoute({
  method: 'put',
  path: '/v1/data-exports/{exportId}',
  tags: ['Data exports'],
  summary: 'Change a data export (its owner or an admin); its schedule follows at once',
  request: { params: exportParams, body: jsonBody(dataExportInputSchema) },
  responses: { 200: jsonResponse('Changed', dataExportSchema), ...problemResponses(403, 404, 422) },
});

export const removeDataExportRoute = createRoute({
  method: 'delete',
  path: '/v1/data-exports/{exportId}',
  tags: ['Data exports'],
  summary: 'Remove a data export (its owner or an admin): its schedule is deleted; its runs and files stay',
  request: { params: exportParams },
  responses: { 200: jsonResponse('Removed', dataExportSchema), ...problemResponses(403, 404, 422) },
});

export const runDataExportRoute = createRoute({
  method: 'post',
  path: '/v1/data-exports/{exportId}/runs',
  tags: ['Data exports'],
  summary: 'Run an export now (its owner or an admin): answers 202 with the run, which a workflow completes',
  request: { params: exportParams },
  responses: { 202: jsonResponse('The run, started', dataExportRunSchema), ...problemResponses(403, 404, 409, 422) },
});

export const listDataExportRunsRoute = createRoute({
  method: 'get',
  path: '/v1/data-exports/{exportId}/runs',
  tags: ['Data exports'],
  summary: "An export's runs, newest first",
  request: { params: exportParams },
  responses: { 200: jsonResponse('Runs', z.object({ items: z.array(dataExportRunSchema) })), ...problemResponses(404, 422) },
});

export const downloadDataExportRunRoute = createRoute({
  method: 'get',
  path: '/v1/data-exports/{exportId}/runs/{runId}/file',
  tags: ['Data exports'],
  summary: "Download a completed run's CSV, verified against its SHA-256 digest; every download is audited (DATA_EXPORT_DOWNLOAD)",
  request: { params: runParams },
  responses: {
    200: {
      description: 'The CSV; `Digest`, `ETag` and `x-content-sha256` carry its digest',
      content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...problemResponses(404, 409, 422),
    500: { description: 'The stored file no longer matches its digest (or is missing): it is not served' },
  },
});
