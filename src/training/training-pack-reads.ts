import { and, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { trainingAssignments, trainingPackVersions, trainingPacks } from '../db/schema/index.js';

export type TrainingPackRow = typeof trainingPacks.$inferSelect;
export type TrainingPackVersionRow = typeof trainingPackVersions.$inferSelect;

export interface TrainingPackRecord {
  pack: TrainingPackRow;
  version: TrainingPackVersionRow;
  /** Assignments ever given from any of its versions. */
  usedByAssignments: number;
}

const usedBy = sql<number>`(select count(*)::int from ${trainingAssignments} where ${trainingAssignments.packId} = ${trainingPacks.id})`;

function records(executor: Executor, where: SQL | undefined) {
  return executor
    .select({ pack: trainingPacks, version: trainingPackVersions, usedByAssignments: usedBy })
    .from(trainingPacks)
    .innerJoin(trainingPackVersions, and(eq(trainingPackVersions.packId, trainingPacks.id), eq(trainingPackVersions.version, trainingPacks.currentVersion)))
    .where(where);
}

export async function findTrainingPack(executor: Executor, packId: string): Promise<TrainingPackRecord | undefined> {
  const [row] = await records(executor, eq(trainingPacks.id, packId));
  return row;
}

/** Packs newest first, after a keyset position. */
export async function listTrainingPacks(
  executor: Executor,
  options: { state?: string | undefined; purpose?: string | undefined; limit: number; after?: { at: string; id: string } | undefined },
): Promise<(TrainingPackRecord & { at: string })[]> {
  const at = sql<string>`to_char(${trainingPacks.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  const conditions: (SQL | undefined)[] = [
    options.state === undefined ? undefined : eq(trainingPacks.state, options.state),
    options.purpose === undefined ? undefined : eq(trainingPacks.purpose, options.purpose),
    options.after === undefined
      ? undefined
      : or(lt(trainingPacks.createdAt, sql`${options.after.at}::timestamptz`), and(eq(trainingPacks.createdAt, sql`${options.after.at}::timestamptz`), lt(trainingPacks.id, options.after.id))),
  ];
  return executor
    .select({ pack: trainingPacks, version: trainingPackVersions, usedByAssignments: usedBy, at })
    .from(trainingPacks)
    .innerJoin(trainingPackVersions, and(eq(trainingPackVersions.packId, trainingPacks.id), eq(trainingPackVersions.version, trainingPacks.currentVersion)))
    .where(and(...conditions))
    .orderBy(desc(trainingPacks.createdAt), desc(trainingPacks.id))
    .limit(options.limit);
}

export async function loadTrainingPackVersion(executor: Executor, packId: string, version: number): Promise<TrainingPackVersionRow | undefined> {
  const [row] = await executor.select().from(trainingPackVersions).where(and(eq(trainingPackVersions.packId, packId), eq(trainingPackVersions.version, version)));
  return row;
}

export async function listTrainingPackVersions(executor: Executor, packId: string): Promise<{ version: number; createdAt: Date; createdBy: string }[]> {
  return executor
    .select({ version: trainingPackVersions.version, createdAt: trainingPackVersions.createdAt, createdBy: trainingPackVersions.createdBy })
    .from(trainingPackVersions)
    .where(eq(trainingPackVersions.packId, packId))
    .orderBy(trainingPackVersions.version);
}

/** Which of these pack ids name packs that may still be assigned (not retired); tiers may only name those. */
export async function assignablePackIds(executor: Executor, packIds: readonly string[]): Promise<Set<string>> {
  if (packIds.length === 0) return new Set();
  const rows = await executor
    .select({ id: trainingPacks.id })
    .from(trainingPacks)
    .where(and(inArray(trainingPacks.id, [...new Set(packIds)]), sql`${trainingPacks.state} <> 'retired'`));
  return new Set(rows.map((row) => row.id));
}
