import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RouteHandler, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { exportDownloadPath } from '../../domain/export-notifications.js';
import { isKnownTimeZone } from '../../domain/time-zones.js';
import { createDataExport, dataExport, dataExportList, dataExportRunList, removeDataExport, updateDataExport, type DataExportInput, type DataExportRow, type DataExportRunRow } from '../../exports/data-exports.js';
import { mayChangeExport, maySeeExport, type ExportViewer } from '../../exports/export-access.js';
import { openExportDownload } from '../../exports/export-download.js';
import { ExportRefused } from '../../exports/export-errors.js';
import { ExportFileIntegrityError } from '../../exports/export-files.js';
import { parseExportFilters } from '../../exports/export-filters.js';
import { claimExportRun, failExportRun } from '../../exports/export-run.js';
import { syncDataExportSchedule } from '../../temporal/schedules.js';
import { DATA_EXPORT_RUN_WORKFLOW, dataExportManualRunWorkflowId, type DataExportRunInput } from '../../workflows/data-export-run.contract.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type * as routes from './routes.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

function exportView(row: DataExportRow) {
  return {
    ...row,
    source: row.source as DataExportInput['source'],
    delivery: row.delivery as DataExportInput['delivery'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    removedAt: iso(row.removedAt),
  };
}

function runView(row: DataExportRunRow) {
  return {
    runId: row.id,
    exportId: row.exportId,
    trigger: row.trigger as 'manual' | 'scheduled',
    scheduledFor: iso(row.scheduledFor),
    requestedBy: row.requestedBy,
    status: row.status as 'running' | 'completed' | 'failed',
    startedAt: row.startedAt.toISOString(),
    finishedAt: iso(row.finishedAt),
    rowCount: row.rowCount,
    sizeBytes: row.sizeBytes,
    sha256: row.sha256,
    emailedAt: iso(row.emailedAt),
    error: row.error,
    downloadPath: row.status === 'completed' ? exportDownloadPath(row.exportId, row.id) : null,
  };
}

function viewerOf(c: Context<AppEnv>): ExportViewer {
  const principal = c.get('principal');
  return { userId: principal.userId, roles: principal.roles };
}

/** The export as the service takes it: filters parsed by their source's schema, the zone the requester's unless given. */
function inputOf(c: Context<AppEnv>, body: z.infer<typeof routes.dataExportInputSchema>): DataExportInput {
  const principal = c.get('principal');
  const timeZone = body.timeZone ?? (isKnownTimeZone(principal.timeZone) ? principal.timeZone : 'UTC');
  if (!isKnownTimeZone(timeZone)) {
    throw new ProblemError(422, 'Invalid request', { detail: `Unknown time zone ${timeZone}`, errors: [{ pointer: '/timeZone', field: 'timeZone', message: 'not an IANA time zone' }] });
  }
  const filters = parseExportFilters(body.source, body.filters);
  // The route's schema has parsed them already; this gives the service their typed form.
  if (!filters.success) throw new ProblemError(422, 'Invalid request', { detail: filters.error.message });
  return { name: body.name, source: body.source, filters: filters.data as Record<string, unknown>, timeZone, schedule: body.schedule, delivery: body.delivery, enabled: body.enabled };
}

async function refusalsAsProblems<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ExportRefused)) throw error;
    const title = { 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 422: 'Invalid request' }[error.status];
    throw new ProblemError(error.status, title, { detail: error.message, errors: [{ pointer: `/${error.field}`, field: error.field, message: error.message }] });
  }
}

export function dataExportHandlers(deps: ApiDeps) {
  const syncSchedule = (row: DataExportRow) =>
    syncDataExportSchedule(deps.temporal.client, deps.temporal.taskQueue, { id: row.id, schedule: row.schedule, timeZone: row.timeZone, enabled: row.enabled, removed: row.removedAt !== null });

  /** An export the caller may see; one they may not is "not found", as any object outside a caller's scope. */
  const visibleExport = async (c: Context<AppEnv>, exportId: string) => {
    const row = await dataExport(deps.db, exportId);
    if (!row || !maySeeExport(viewerOf(c), row.ownerId)) throw new ProblemError(404, 'Data export not found', { detail: exportId });
    return row;
  };

  const create: RouteHandler<typeof routes.createDataExportRoute, AppEnv> = async (c) => {
    const row = await createDataExport(deps.db, inputOf(c, c.req.valid('json')), requestContext(c));
    await syncSchedule(row);
    return c.json(exportView(row), 201);
  };

  const list: RouteHandler<typeof routes.listDataExportsRoute, AppEnv> = async (c) => {
    const rows = await dataExportList(deps.db, viewerOf(c), { includeRemoved: c.req.valid('query').includeRemoved === 'true' });
    return c.json({ items: rows.map(exportView) }, 200);
  };

  const get: RouteHandler<typeof routes.getDataExportRoute, AppEnv> = async (c) => c.json(exportView(await visibleExport(c, c.req.valid('param').exportId)), 200);

  const update: RouteHandler<typeof routes.updateDataExportRoute, AppEnv> = async (c) => {
    const { exportId } = c.req.valid('param');
    await visibleExport(c, exportId);
    const row = await refusalsAsProblems(() => updateDataExport(deps.db, exportId, inputOf(c, c.req.valid('json')), { ...requestContext(c), viewer: viewerOf(c) }));
    await syncSchedule(row);
    return c.json(exportView(row), 200);
  };

  const remove: RouteHandler<typeof routes.removeDataExportRoute, AppEnv> = async (c) => {
    const { exportId } = c.req.valid('param');
    await visibleExport(c, exportId);
    const row = await refusalsAsProblems(() => removeDataExport(deps.db, exportId, { ...requestContext(c), viewer: viewerOf(c) }));
    await syncSchedule(row);
    return c.json(exportView(row), 200);
  };

  const run: RouteHandler<typeof routes.runDataExportRoute, AppEnv> = async (c) => {
    const { exportId } = c.req.valid('param');
    const row = await visibleExport(c, exportId);
    if (!mayChangeExport(viewerOf(c), row.ownerId)) throw new ProblemError(403, 'Forbidden', { detail: 'Only the export’s owner or an admin runs it' });
    if (row.removedAt) throw new ProblemError(409, 'Data export removed', { detail: `Export "${row.name}" was removed; its runs stay readable` });
    const context = requestContext(c);
    // The run's row exists before its workflow, so the caller can follow it at once.
    const runRow = await claimExportRun(deps.db, { exportId, trigger: 'manual', scheduledFor: null, runId: randomUUID(), requestedBy: context.actor.username });
    const input: DataExportRunInput = { exportId, trigger: 'manual', runId: runRow.id, requestedBy: context };
    try {
      await deps.temporal.client.workflow.start(DATA_EXPORT_RUN_WORKFLOW, { workflowId: dataExportManualRunWorkflowId(exportId, runRow.id), taskQueue: deps.temporal.taskQueue, args: [input] });
    } catch (error) {
      await failExportRun(deps.db, { exportId, runId: runRow.id, trigger: 'manual', actor: context.actor, correlationId: context.correlationId }, error);
      throw error;
    }
    return c.json(runView(runRow), 202);
  };

  const runs: RouteHandler<typeof routes.listDataExportRunsRoute, AppEnv> = async (c) => {
    const { exportId } = c.req.valid('param');
    await visibleExport(c, exportId);
    return c.json({ items: (await dataExportRunList(deps.db, exportId)).map(runView) }, 200);
  };

  const download: RouteHandler<typeof routes.downloadDataExportRunRoute, AppEnv> = async (c) => {
    const { exportId, runId } = c.req.valid('param');
    if (!deps.exports) throw new ProblemError(409, 'Exports not configured', { detail: 'This API has no exports folder' });
    const context = requestContext(c);
    let opened: Awaited<ReturnType<typeof openExportDownload>>;
    try {
      opened = await refusalsAsProblems(() => openExportDownload(deps.db, deps.exports!, { ...context, exportId, runId, viewer: viewerOf(c) }));
    } catch (error) {
      if (error instanceof ExportFileIntegrityError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new ProblemError(500, 'Export file integrity violation', { detail: (error as Error).message });
      }
      throw error;
    }
    const { file, fileName } = opened;
    const digest = Buffer.from(file.sha256, 'hex').toString('base64');
    return c.body(Readable.toWeb(file.stream()) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(file.sizeBytes),
      'content-disposition': `attachment; filename="${fileName}"`,
      etag: `"${file.sha256}"`,
      digest: `sha-256=${digest}`,
      'repr-digest': `sha-256=:${digest}:`,
      'x-content-sha256': file.sha256,
      'cache-control': 'private, no-store',
    });
  };

  return { create, list, get, update, remove, run, runs, download };
}
