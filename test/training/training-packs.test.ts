import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { trainingPackVersions, trainingPacks } from '../../src/db/schema/index.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';
import { SIMPLE_QUESTIONNAIRE } from '../support/reviews.js';
import { assignCoaching, createActivePack, samplePackDefinition, uploadMaterial } from '../support/training.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const fields = (answer: HttpAnswer) => ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);
const activities = async (answer: HttpAnswer) => (await entriesOf(harness.db, answer)).map((entry) => `${entry.activity}:${entry.result}`);

describe('training packs', () => {
  it('stores presentation material by digest and lists only stored files in a version', async () => {
    const manager = await harness.identityFor('compliance-analyst');
    const slides = await uploadMaterial(harness, manager, `slides ${uniqueId('deck')}`);
    expect(slides.sha256).toMatch(/^[0-9a-f]{64}$/);

    const missing = { sha256: 'f'.repeat(64), fileName: 'gone.pdf', mediaType: 'application/pdf', sizeBytes: 3 };
    const refused = await harness.as(manager.token).http('POST', '/v1/training-packs', {
      name: uniqueId('pack'),
      purpose: 'performance',
      dueAfterSeconds: 3600,
      definition: samplePackDefinition({ presentation: [slides, missing] }),
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(fields(refused)).toEqual(['definition.presentation.1.sha256']);
    expect(await activities(refused)).toEqual(['TRAINING_PACK_CHANGE:FAIL']);

    const pack = await createActivePack(harness, manager, { definition: samplePackDefinition({ presentation: [slides] }) });
    expect(pack).toMatchObject({ state: 'active', currentVersion: 1, usedByAssignments: 0, definition: { presentation: [slides] } });
    // A manager reads the material back, verified and audited.
    const fetched = await harness.as(manager.token).http('GET', `/v1/training-materials/${slides.sha256}`);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/pdf');
    expect(await activities(fetched)).toEqual(['ACCESS_MEDIA:OK']);
  });

  it('refuses bad input naming the field: timing, an unknown reference conversation, a quiz whose answer is not an option', async () => {
    const manager = await harness.identityFor('cc-manager');
    const base = { name: uniqueId('pack'), purpose: 'coaching', dueAfterSeconds: 3600 };
    const reminder = await harness.as(manager.token).http('POST', '/v1/training-packs', { ...base, reminderBeforeSeconds: 7200, definition: samplePackDefinition() });
    expect([reminder.status, fields(reminder)]).toEqual([422, ['reminderBeforeSeconds']]);
    const reference = await harness.as(manager.token).http('POST', '/v1/training-packs', { ...base, definition: samplePackDefinition({ referenceConversationId: crypto.randomUUID() }) });
    expect([reference.status, fields(reference)]).toEqual([422, ['definition.referenceConversationId']]);
    const quiz = samplePackDefinition().quiz as any;
    const badQuiz = { ...quiz, questions: [{ ...quiz.questions[0], correct: ['nowhere'] }] };
    const answer = await harness.as(manager.token).http('POST', '/v1/training-packs', { ...base, definition: samplePackDefinition({ quiz: badQuiz }) });
    expect([answer.status, fields(answer)]).toEqual([422, ['definition.quiz.questions.0.correct.0']]);
  });

  it('versions the definition, edits the rest in place, activates a draft; agents cannot read packs (they hold the answers)', async () => {
    const manager = await harness.identityFor('cc-manager');
    const created = await harness.as(manager.token).http('POST', '/v1/training-packs', { name: uniqueId('pack'), purpose: 'onboarding', dueAfterSeconds: 3600, definition: samplePackDefinition() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', currentVersion: 1, assignOnAgentCreation: false, reminderBeforeSeconds: null });
    const packId = created.body.id as string;
    expect(await activities(created)).toEqual(['TRAINING_PACK_CHANGE:OK']);

    const revised = await harness.as(manager.token).http('POST', `/v1/training-packs/${packId}/versions`, { definition: samplePackDefinition({ instructions: 'Version two' }) });
    expect(revised.status).toBe(200);
    expect(revised.body).toMatchObject({ currentVersion: 2, definition: { instructions: 'Version two' } });
    const edited = await harness.as(manager.token).http('PUT', `/v1/training-packs/${packId}`, { name: 'Renamed', dueAfterSeconds: 7200, reminderBeforeSeconds: 600 });
    expect(edited.body).toMatchObject({ name: 'Renamed', dueAfterSeconds: 7200, reminderBeforeSeconds: 600, currentVersion: 2 });
    const activated = await harness.as(manager.token).http('POST', `/v1/training-packs/${packId}/activate`);
    expect(activated.body.state).toBe('active');
    const read = await harness.as((await harness.identityFor('supervisor')).token).http('GET', `/v1/training-packs/${packId}`);
    expect(read.status).toBe(200);
    expect(read.body.versions.map((version: { version: number }) => version.version)).toEqual([1, 2]);
    const versions = await harness.db.select().from(trainingPackVersions).where(eq(trainingPackVersions.packId, packId));
    expect(versions.map((version) => version.definition.instructions).sort()).toEqual(['Listen to the reference call, read the slides, then take the quiz.', 'Version two']);

    const agent = await harness.identityFor('agent');
    expect((await harness.as(agent.token).http('GET', `/v1/training-packs/${packId}`)).status).toBe(403);
    expect((await harness.as(agent.token).http('GET', '/v1/training-packs')).status).toBe(403);
  });

  it('deletes a pack never assigned, retires a used one for good, and a tier may name neither afterwards', async () => {
    const manager = await harness.identityFor('cc-manager');
    const unused = await createActivePack(harness, manager);
    expect((await harness.as(manager.token).http('DELETE', `/v1/training-packs/${unused.id}`)).body).toEqual({ removed: 'deleted' });
    expect(await harness.db.select().from(trainingPacks).where(eq(trainingPacks.id, unused.id))).toEqual([]);

    const used = await createActivePack(harness, manager);
    const agent = await harness.identityFor('agent');
    await assignCoaching(harness, manager, { packId: used.id, userIds: [agent.userId] });
    expect((await harness.as(manager.token).http('DELETE', `/v1/training-packs/${used.id}`)).body).toEqual({ removed: 'retired' });
    const retired = await harness.as(manager.token).http('GET', `/v1/training-packs/${used.id}`);
    expect(retired.body).toMatchObject({ state: 'retired', usedByAssignments: 1 });
    expect(retired.body.retiredAt).not.toBeNull();
    const revived = await harness.as(manager.token).http('POST', `/v1/training-packs/${used.id}/activate`);
    expect(revived.status).toBe(409);
    const again = await harness.as(manager.token).http('POST', '/v1/training-assignments', { packId: used.id, userIds: [agent.userId] });
    expect([again.status, fields(again)]).toEqual([409, ['packId']]);

    for (const packId of [unused.id, used.id]) {
      const tiers = [{ name: 'fail', from: 0, to: 50, needsTraining: true, trainingPackId: packId }, SIMPLE_QUESTIONNAIRE.tiers[1]];
      const questionnaire = await harness.as(manager.token).http('POST', '/v1/questionnaires', { name: uniqueId('questionnaire'), ...SIMPLE_QUESTIONNAIRE, tiers });
      expect(questionnaire.status).toBe(422);
      expect(fields(questionnaire)).toEqual(['tiers.0.trainingPackId']);
    }
    const active = await createActivePack(harness, manager);
    const tiers = [{ name: 'fail', from: 0, to: 50, needsTraining: true, trainingPackId: active.id }, SIMPLE_QUESTIONNAIRE.tiers[1]];
    const made = await harness.as(manager.token).http('POST', '/v1/questionnaires', { name: uniqueId('questionnaire'), ...SIMPLE_QUESTIONNAIRE, tiers });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const revisedTiers = await harness.as(manager.token).http('PUT', `/v1/questionnaires/${made.body.id}/tiers`, { tiers: [SIMPLE_QUESTIONNAIRE.tiers[1], { ...tiers[0], trainingPackId: used.id }] });
    expect([revisedTiers.status, fields(revisedTiers)]).toEqual([422, ['tiers.1.trainingPackId']]);
  });
});
