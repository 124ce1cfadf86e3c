import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { trainingAssignments, trainingPackVersions, trainingPacks } from '../../src/db/schema/index.js';
import { trainingPackDefinitionSchema, type TrainingPackDefinition } from '../../src/domain/training-pack.js';
import type { Harness } from './harness.js';
import type { Identity } from './identities.js';

const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * Training packs and assignments made quickly for training tests: a sample definition, packs through the
 * API (as a quality manager) or straight into the tables, and answer sets for the sample quiz.
 */

/** Three questions: two single choice, one multiple choice (b and c); pass mark 60 %, two attempts. */
export const SAMPLE_QUIZ = {
  questions: [
    { id: 'disclose', text: 'When do you say the call is recorded?', kind: 'single', options: [{ id: 'start', text: 'At the start' }, { id: 'end', text: 'At the end' }], correct: ['start'] },
    { id: 'costs', text: 'Which costs must be explained?', kind: 'multiple', options: [{ id: 'a', text: 'None' }, { id: 'b', text: 'Entry costs' }, { id: 'c', text: 'Running costs' }], correct: ['b', 'c'] },
    { id: 'advice', text: 'Before advice you check…', kind: 'single', options: [{ id: 'suitability', text: 'Suitability' }, { id: 'weather', text: 'The weather' }], correct: ['suitability'] },
  ],
  passMarkPercent: 60,
  attemptsAllowed: 2,
} as const;

export const ALL_CORRECT = { disclose: ['start'], costs: ['b', 'c'], advice: ['suitability'] };
/** One of three right: 33.33 %, a fail. */
export const MOSTLY_WRONG = { disclose: ['start'], costs: ['b'], advice: ['weather'] };

export function samplePackDefinition(overrides: Partial<Record<keyof TrainingPackDefinition, unknown>> = {}): Record<string, unknown> {
  return { instructions: 'Listen to the reference call, read the slides, then take the quiz.', referenceConversationId: null, presentation: [], quiz: SAMPLE_QUIZ, ...overrides };
}

/** POST /v1/training-packs as this manager, active; `overrides` replace top-level fields. Answers the pack. */
export async function createActivePack(harness: Harness, manager: Identity, overrides: Record<string, unknown> = {}): Promise<any> {
  const answer = await harness.as(manager.token).http('POST', '/v1/training-packs', {
    name: uniqueId('pack'),
    purpose: 'performance',
    dueAfterSeconds: 7 * 86_400,
    reminderBeforeSeconds: 86_400,
    state: 'active',
    definition: samplePackDefinition(),
    ...overrides,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** An active pack written straight into the tables (for tests that are not about packs). */
export async function insertTrainingPack(db: Database, options: { definition?: Record<string, unknown>; dueAfterSeconds?: number } = {}): Promise<string> {
  const id = randomUUID();
  await db.insert(trainingPacks).values({ id, name: `Pack ${id.slice(0, 8)}`, purpose: 'performance', state: 'active', dueAfterSeconds: options.dueAfterSeconds ?? 86_400, createdBy: 'training-tests' });
  await db.insert(trainingPackVersions).values({ packId: id, version: 1, definition: trainingPackDefinitionSchema.parse(options.definition ?? samplePackDefinition()), createdBy: 'training-tests' });
  return id;
}

/** An open assignment written straight into the table; answers its id. */
export async function insertTrainingAssignment(
  db: Database,
  options: { assignee: Pick<Identity, 'userId' | 'username'>; packId?: string; reviewId?: string; conversationId?: string; referenceConversationId?: string; groups?: string[] },
): Promise<string> {
  const id = randomUUID();
  const packId = options.packId ?? (await insertTrainingPack(db));
  await db.insert(trainingAssignments).values({
    id,
    packId,
    packVersion: 1,
    assigneeUserId: options.assignee.userId,
    assigneeUsername: options.assignee.username,
    assigneeGroups: options.groups ?? [],
    reason: options.reviewId ? 'review' : 'coaching',
    reviewId: options.reviewId ?? null,
    conversationId: options.conversationId ?? null,
    referenceConversationId: options.referenceConversationId ?? null,
    attemptsAllowed: SAMPLE_QUIZ.attemptsAllowed,
    dueAt: new Date(Date.now() + 86_400_000),
    assignedBy: 'training-tests',
  });
  return id;
}

/** POST /v1/training-materials as this manager: the raw bytes; answers the stored file as a pack lists it. */
export async function uploadMaterial(harness: Harness, manager: Identity, content: string, fileName = 'slides.pdf', mediaType = 'application/pdf') {
  const answer = await harness.as(manager.token).http('POST', `/v1/training-materials?fileName=${encodeURIComponent(fileName)}`, new TextEncoder().encode(content), { 'content-type': mediaType });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  const { sha256, sizeBytes } = answer.body as { sha256: string; sizeBytes: number };
  return { sha256, sizeBytes, fileName, mediaType };
}

/** POST /v1/training-assignments (coaching) as `as`; expects them given and answers the body. */
export async function assignCoaching(harness: Harness, as: Identity, body: { packId: string; userIds?: string[]; group?: string }): Promise<any> {
  const answer = await harness.as(as.token).http('POST', '/v1/training-assignments', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}
