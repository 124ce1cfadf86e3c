import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Transaction } from '../db/client.js';
import { conversations, trainingPackVersions, trainingPacks } from '../db/schema/index.js';
import type { TrainingPackDefinition } from '../domain/training-pack.js';
import type { MediaStore } from '../media/media-store.js';
import { Refusal, refuseProblems, type FieldProblem } from '../lib/refusal.js';
import { presentationProblems } from './training-material.js';
import { findTrainingPack, type TrainingPackRecord, type TrainingPackRow } from './training-pack-reads.js';

/**
 * Changes to training packs, each one transaction with its TRAINING_PACK_CHANGE entry. What a trainee is
 * taught and tested on (the definition) only changes by a new version, so an assignment keeps the version
 * it was given; name, description, timing and onboarding are edited in place.
 */

export type TrainingPurpose = 'performance' | 'onboarding' | 'coaching';

export interface TrainingPackTiming {
  dueAfterSeconds: number;
  reminderBeforeSeconds: number | null;
}

export interface NewTrainingPack extends TrainingPackTiming {
  name: string;
  description: string;
  purpose: TrainingPurpose;
  assignOnAgentCreation: boolean;
  state: 'draft' | 'active';
  definition: TrainingPackDefinition;
}

export interface TrainingPackProperties {
  name?: string | undefined;
  description?: string | undefined;
  assignOnAgentCreation?: boolean | undefined;
  dueAfterSeconds?: number | undefined;
  reminderBeforeSeconds?: number | null | undefined;
}

export type TrainingPackRemoval = 'deleted' | 'retired';

function timingProblems(timing: TrainingPackTiming): FieldProblem[] {
  if (timing.reminderBeforeSeconds !== null && timing.reminderBeforeSeconds >= timing.dueAfterSeconds) {
    return [{ path: 'reminderBeforeSeconds', message: `the reminder must come before the due time (${timing.dueAfterSeconds} s after assignment)` }];
  }
  return [];
}

/** The definition's files must be stored and its reference conversation must exist. */
async function refuseBadDefinition(tx: Transaction, media: MediaStore, definition: TrainingPackDefinition, prefix = 'definition'): Promise<void> {
  const problems = await presentationProblems(media, definition.presentation, `${prefix}.presentation`);
  if (definition.referenceConversationId !== null) {
    const [found] = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, definition.referenceConversationId));
    if (!found) problems.push({ path: `${prefix}.referenceConversationId`, message: `no conversation ${definition.referenceConversationId}` });
  }
  refuseProblems('Invalid training pack', problems);
}

const definitionSummary = (definition: TrainingPackDefinition) => ({
  referenceConversationId: definition.referenceConversationId,
  presentation: definition.presentation.map((file) => file.sha256),
  questions: definition.quiz.questions.length,
  passMarkPercent: definition.quiz.passMarkPercent,
  attemptsAllowed: definition.quiz.attemptsAllowed,
});

async function lockPack(tx: Transaction, packId: string): Promise<TrainingPackRow> {
  const [row] = await tx.select().from(trainingPacks).where(eq(trainingPacks.id, packId)).for('update');
  if (!row) throw new Refusal('not-found', 'Training pack not found', `No training pack ${packId}`);
  return row;
}

const refuseRetired = (row: TrainingPackRow) => {
  if (row.state === 'retired') throw new Refusal('conflict', 'Training pack retired', `Training pack ${row.id} was retired; it is kept for its assignments and not changed`);
};

const reload = async (tx: Transaction, packId: string): Promise<TrainingPackRecord> => (await findTrainingPack(tx, packId))!;

export async function createTrainingPack(db: Database, media: MediaStore, input: NewTrainingPack, audit: AuditContext): Promise<TrainingPackRecord> {
  refuseProblems('Invalid training pack', timingProblems(input));
  const packId = randomUUID();
  return auditedChange(
    db,
    {
      ...audit,
      activity: 'TRAINING_PACK_CHANGE',
      description: `Training pack "${input.name}" created`,
      details: { packId, change: 'create', version: 1, purpose: input.purpose, state: input.state, assignOnAgentCreation: input.assignOnAgentCreation, definition: definitionSummary(input.definition) },
    },
    async (tx) => {
      await refuseBadDefinition(tx, media, input.definition);
      await tx.insert(trainingPacks).values({
        id: packId,
        name: input.name,
        description: input.description,
        purpose: input.purpose,
        state: input.state,
        currentVersion: 1,
        assignOnAgentCreation: input.assignOnAgentCreation,
        dueAfterSeconds: input.dueAfterSeconds,
        reminderBeforeSeconds: input.reminderBeforeSeconds,
        createdBy: audit.actor.username,
      });
      await tx.insert(trainingPackVersions).values({ packId, version: 1, definition: input.definition, createdBy: audit.actor.username });
      return { value: await reload(tx, packId) };
    },
  );
}

/** Name, description, onboarding and timing, in place: assignments already given keep their due times. */
export async function updateTrainingPack(db: Database, packId: string, changes: TrainingPackProperties, audit: AuditContext): Promise<TrainingPackRecord> {
  return auditedChange(db, { ...audit, activity: 'TRAINING_PACK_CHANGE', description: `Training pack ${packId} edited`, details: { packId, change: 'edit' } }, async (tx) => {
    const row = await lockPack(tx, packId);
    refuseRetired(row);
    const fields = ['name', 'description', 'assignOnAgentCreation', 'dueAfterSeconds', 'reminderBeforeSeconds'] as const;
    const changed = Object.fromEntries(fields.filter((field) => changes[field] !== undefined && changes[field] !== row[field]).map((field) => [field, { from: row[field], to: changes[field] }]));
    refuseProblems('Invalid training pack', timingProblems({ dueAfterSeconds: changes.dueAfterSeconds ?? row.dueAfterSeconds, reminderBeforeSeconds: changes.reminderBeforeSeconds === undefined ? row.reminderBeforeSeconds : changes.reminderBeforeSeconds }));
    if (Object.keys(changed).length > 0) {
      const values = Object.fromEntries(Object.entries(changed).map(([field, change]) => [field, change.to]));
      await tx.update(trainingPacks).set({ ...values, updatedAt: sql`now()` }).where(eq(trainingPacks.id, packId));
    }
    return { value: await reload(tx, packId), details: { changed } };
  });
}

/** A new version with this definition becomes current; assignments already given keep theirs. */
export async function addTrainingPackVersion(db: Database, media: MediaStore, packId: string, definition: TrainingPackDefinition, audit: AuditContext): Promise<TrainingPackRecord> {
  return auditedChange(
    db,
    { ...audit, activity: 'TRAINING_PACK_CHANGE', description: `Training pack ${packId}: new version`, details: { packId, change: 'new-version', definition: definitionSummary(definition) } },
    async (tx) => {
      const row = await lockPack(tx, packId);
      refuseRetired(row);
      await refuseBadDefinition(tx, media, definition);
      const version = row.currentVersion + 1;
      await tx.insert(trainingPackVersions).values({ packId, version, definition, createdBy: audit.actor.username });
      await tx.update(trainingPacks).set({ currentVersion: version, updatedAt: sql`now()` }).where(eq(trainingPacks.id, packId));
      return { value: await reload(tx, packId), details: { version, previousVersion: row.currentVersion } };
    },
  );
}

/** A draft becomes assignable. */
export async function activateTrainingPack(db: Database, packId: string, audit: AuditContext): Promise<TrainingPackRecord> {
  return auditedChange(db, { ...audit, activity: 'TRAINING_PACK_CHANGE', description: `Training pack ${packId} activated`, details: { packId, change: 'activate' } }, async (tx) => {
    const row = await lockPack(tx, packId);
    refuseRetired(row);
    if (row.state !== 'active') await tx.update(trainingPacks).set({ state: 'active', updatedAt: sql`now()` }).where(eq(trainingPacks.id, packId));
    return { value: await reload(tx, packId), details: { previousState: row.state } };
  });
}

/**
 * Removes a pack: deleted when it was never assigned, otherwise retired and kept with every version, so
 * its assignments still show what they were given. A retired pack is assigned no more.
 */
export async function removeTrainingPack(db: Database, packId: string, audit: AuditContext): Promise<TrainingPackRemoval> {
  return auditedChange(db, { ...audit, activity: 'TRAINING_PACK_CHANGE', description: `Training pack ${packId} removed`, details: { packId, change: 'remove' } }, async (tx) => {
    const row = await lockPack(tx, packId);
    const used = (await findTrainingPack(tx, packId))!.usedByAssignments;
    if (used === 0) {
      await tx.delete(trainingPackVersions).where(eq(trainingPackVersions.packId, packId));
      await tx.delete(trainingPacks).where(eq(trainingPacks.id, packId));
      return { value: 'deleted' as const, details: { removed: 'deleted' } };
    }
    if (row.state !== 'retired') await tx.update(trainingPacks).set({ state: 'retired', retiredAt: sql`now()`, updatedAt: sql`now()` }).where(eq(trainingPacks.id, packId));
    return { value: 'retired' as const, details: { removed: 'retired', usedByAssignments: used, previousState: row.state } };
  });
}
