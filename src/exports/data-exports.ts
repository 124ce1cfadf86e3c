import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Executor } from '../db/client.js';
import { dataExportRuns, dataExports, type ExportSchedule } from '../db/schema/index.js';
import { mayChangeExport, seesEveryExport, type ExportViewer } from './export-access.js';
import { ExportRefused } from './export-errors.js';
import type { ExportDelivery, ExportSource } from './export-filters.js';

export type DataExportRow = typeof dataExports.$inferSelect;
export type DataExportRunRow = typeof dataExportRuns.$inferSelect;

/** An export task as the API validated it (filters already parsed by the source's schema). */
export interface DataExportInput {
  name: string;
  source: ExportSource;
  filters: Record<string, unknown>;
  timeZone: string;
  schedule: ExportSchedule | null;
  delivery: ExportDelivery;
  enabled: boolean;
}

function columnsOf(input: DataExportInput) {
  return {
    name: input.name,
    source: input.source,
    filters: input.filters,
    timeZone: input.timeZone,
    schedule: input.schedule,
    delivery: input.delivery,
    enabled: input.enabled,
  };
}

async function changeableExport(tx: Executor, exportId: string, viewer: ExportViewer): Promise<DataExportRow> {
  const [row] = await tx.select().from(dataExports).where(and(eq(dataExports.id, exportId), isNull(dataExports.removedAt))).for('update');
  if (!row) throw new ExportRefused('exportId', `No data export ${exportId}`, 404);
  if (!mayChangeExport(viewer, row.ownerId)) throw new ExportRefused('exportId', `Data export ${exportId} belongs to another user: only its owner or an admin changes it`, 403);
  return row;
}

export function createDataExport(db: Database, input: DataExportInput, context: AuditContext): Promise<DataExportRow> {
  const id = randomUUID();
  return auditedChange(db, { ...context, activity: 'DATA_EXPORT_CREATE', description: `Data export "${input.name}" created`, details: { exportId: id } }, async (tx) => {
    const [row] = await tx.insert(dataExports).values({ id, ...columnsOf(input), ownerId: context.actor.id }).returning();
    return { value: row!, details: { export: columnsOf(input) } };
  });
}

export function updateDataExport(db: Database, exportId: string, input: DataExportInput, context: AuditContext & { viewer: ExportViewer }): Promise<DataExportRow> {
  return auditedChange(db, { ...context, activity: 'DATA_EXPORT_CHANGED', description: `Data export ${exportId} changed`, details: { exportId } }, async (tx) => {
    const before = await changeableExport(tx, exportId, context.viewer);
    const [row] = await tx.update(dataExports).set({ ...columnsOf(input), updatedAt: sql`now()` }).where(eq(dataExports.id, exportId)).returning();
    return { value: row!, details: { before: columnsOf({ ...before, source: before.source as ExportSource, delivery: before.delivery as ExportDelivery }), export: columnsOf(input) } };
  });
}

/** Removed exports stop running; their runs and files stay readable to those who saw them. */
export function removeDataExport(db: Database, exportId: string, context: AuditContext & { viewer: ExportViewer }): Promise<DataExportRow> {
  return auditedChange(db, { ...context, activity: 'DATA_EXPORT_DELETE', description: `Data export ${exportId} removed`, details: { exportId } }, async (tx) => {
    await changeableExport(tx, exportId, context.viewer);
    const [row] = await tx.update(dataExports).set({ removedAt: sql`now()`, enabled: false, updatedAt: sql`now()` }).where(eq(dataExports.id, exportId)).returning();
    return { value: row! };
  });
}

export async function dataExport(executor: Executor, exportId: string): Promise<DataExportRow | undefined> {
  const [row] = await executor.select().from(dataExports).where(eq(dataExports.id, exportId));
  return row;
}

/** The exports a viewer sees, newest first; exports are few per user, so no pagination beyond a cap. */
export function dataExportList(executor: Executor, viewer: ExportViewer, options: { includeRemoved: boolean }): Promise<DataExportRow[]> {
  const conditions = [
    options.includeRemoved ? undefined : isNull(dataExports.removedAt),
    seesEveryExport(viewer) ? undefined : eq(dataExports.ownerId, viewer.userId),
  ];
  return executor
    .select()
    .from(dataExports)
    .where(and(...conditions))
    .orderBy(desc(dataExports.createdAt))
    .limit(1000);
}

/** An export's runs, newest first. */
export function dataExportRunList(executor: Executor, exportId: string, limit = 100): Promise<DataExportRunRow[]> {
  return executor.select().from(dataExportRuns).where(eq(dataExportRuns.exportId, exportId)).orderBy(desc(dataExportRuns.startedAt)).limit(limit);
}

export async function dataExportRun(executor: Executor, exportId: string, runId: string): Promise<DataExportRunRow | undefined> {
  const [row] = await executor.select().from(dataExportRuns).where(and(eq(dataExportRuns.id, runId), eq(dataExportRuns.exportId, exportId)));
  return row;
}
