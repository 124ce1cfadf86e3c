import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewPlans, reviews } from '../../src/db/schema/index.js';
import { entriesOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpAnswer, type HttpCall } from '../support/harness.js';
import type { Identity } from '../support/identities.js';

let harness: Harness;
let manager: Identity;
let http: HttpCall;
beforeAll(async () => {
  harness = await createHarness();
  manager = await harness.identityFor('cc-manager');
  http = harness.as(manager.token).http;
});
afterAll(async () => {
  await harness?.close();
});

/** Percentage scoring over two sections (70 + 30), with an N/A question, a critical one and a choice. */
function definition(overrides: { weights?: [number, number]; naMethod?: string } = {}) {
  const [first, second] = overrides.weights ?? [70, 30];
  return {
    scoring: 'percentage',
    naMethod: overrides.naMethod ?? 'section-actual-average',
    sections: [
      {
        id: 'compliance',
        title: 'Compliance',
        weight: first,
        questions: [
          { id: 'disclaimer', text: 'Was the risk disclaimer read?', type: 'yes-no', critical: 'fail-all' },
          { id: 'recording', text: 'Was the customer told the call is recorded?', type: 'yes-no', allowNa: true },
        ],
      },
      {
        id: 'service',
        title: 'Service',
        weight: second,
        questions: [
          {
            id: 'tone',
            text: 'Tone of voice',
            type: 'single-choice',
            options: [
              { id: 'good', label: 'Good', score: 2 },
              { id: 'poor', label: 'Poor', score: 0 },
            ],
            commentRequired: true,
          },
        ],
      },
    ],
  };
}

const TIERS = [
  { name: 'fail', from: 0, to: 50, needsTraining: true },
  { name: 'meets', from: 50, to: 85 },
  { name: 'exceeds', from: 85, to: 100 },
];

async function create(body: Record<string, unknown> = {}): Promise<HttpAnswer> {
  const answer = await http('POST', '/v1/questionnaires', { name: `Quality ${randomUUID().slice(0, 8)}`, definition: definition(), ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer;
}

/** The one audit entry a request wrote for this activity. */
async function auditOf(answer: HttpAnswer, activity: string) {
  const entries = (await entriesOf(harness.db, answer)).filter((entry) => entry.activity === activity);
  expect(entries, `${activity} entries`).toHaveLength(1);
  return entries[0]!;
}

async function expectAudited(answer: HttpAnswer, activity: string, questionnaireId: string, details: Record<string, unknown> = {}) {
  const entry = await auditOf(answer, activity);
  expect(entry.result).toBe('OK');
  expect(entry.details).toMatchObject({ questionnaireId, ...details });
}

const fieldsOf = (answer: HttpAnswer): string[] => (answer.body.errors ?? []).map((error: { field: string }) => error.field);

/** Makes the questionnaire "used": a review of a freshly captured conversation scored with its version 1. */
async function useInReview(questionnaireId: string): Promise<void> {
  const captured = await harness.http('POST', '/v1/contact-records', contactRecord());
  expect(captured.status).toBe(200);
  await harness.db.insert(reviews).values({
    id: randomUUID(),
    kind: 'manual',
    questionnaireId,
    questionnaireVersion: 1,
    conversationId: captured.body.results[0].conversationId,
    agentUsername: 'agent.smith',
    createdBy: manager.username,
  });
}

describe('creating and reading questionnaires', () => {
  it('creates version 1 with weights, N/A, a critical question and tiers, and shows it', async () => {
    const created = await create({ tiers: TIERS, evaluatorGroups: ['Quality Team'], selectionRules: { channels: ['VOICE'], timeOfDay: { from: '08:00', to: '18:00' } } });
    const id: string = created.body.id;
    expect(created.body).toMatchObject({
      state: 'draft',
      currentVersion: 1,
      evaluatorGroups: ['Quality Team'],
      selectionRules: { channels: ['VOICE'], timeOfDay: { from: '08:00', to: '18:00' } },
      disputeWindowDays: 14,
      retiredAt: null,
      usedByReviews: 0,
      tiers: [
        { name: 'fail', from: 0, to: 50, needsTraining: true },
        { name: 'meets', from: 50, to: 85, needsTraining: false },
        { name: 'exceeds', from: 85, to: 100, needsTraining: false },
      ],
    });
    const [compliance, service] = created.body.definition.sections;
    expect(compliance).toMatchObject({ weight: 70, questions: [{ id: 'disclaimer', critical: 'fail-all', allowNa: false }, { id: 'recording', allowNa: true, critical: null }] });
    expect(service.questions[0]).toMatchObject({ type: 'single-choice', commentRequired: true, options: [{ id: 'good', score: 2 }, { id: 'poor', score: 0 }] });

    const read = await http('GET', `/v1/questionnaires/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, name: created.body.name, definition: created.body.definition, tiers: created.body.tiers });
    expect(read.body.versions).toEqual([{ version: 1, createdAt: expect.any(String), createdBy: manager.username }]);
    await expectAudited(created, 'ADD_QUESTIONAIRE', id, { version: 1 });
  });

  it('lists newest first, filtered by state, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await create({ state: 'active' })).body.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    // Other files add questionnaires to the same database meanwhile: walk until ours have all been served.
    for (let page = 0; page < 50 && ids.some((id) => !seen.includes(id)); page++) {
      const answer = await http('GET', `/v1/questionnaires?state=active&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(1);
      expect(answer.body.items[0].state).toBe('active');
      seen.push(answer.body.items[0].id);
      cursor = answer.body.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());

    const drafts = await http('GET', '/v1/questionnaires?state=draft&limit=500');
    expect(drafts.body.items.map((item: { id: string }) => item.id)).not.toContain(ids[0]);
    expect((await http('GET', '/v1/questionnaires?cursor=bm90LWEtY3Vyc29y')).status).toBe(422);
  });

  it('answers 404 for a questionnaire or a version that does not exist', async () => {
    const id: string = (await create()).body.id;
    expect((await http('GET', `/v1/questionnaires/${randomUUID()}`)).status).toBe(404);
    expect((await http('GET', `/v1/questionnaires/${id}/versions/2`)).status).toBe(404);
    expect((await http('PUT', `/v1/questionnaires/${randomUUID()}/definition`, { definition: definition() })).status).toBe(404);
    expect((await http('PATCH', `/v1/questionnaires/${randomUUID()}`, { name: 'x' })).status).toBe(404);
  });

  it('refuses an agent (403)', async () => {
    const agent = await harness.identityFor('agent');
    const refused = await harness.as(agent.token).http('POST', '/v1/questionnaires', { name: 'Not mine', definition: definition() });
    expect(refused.status).toBe(403);
    expect((await entriesOf(harness.db, refused)).map((entry) => `${entry.activity}:${entry.result}`)).toEqual(['ADD_QUESTIONAIRE:UNAUTHORIZED']);
  });
});

describe('versions', () => {
  it('makes version 2 for a new definition, keeps the tiers, and leaves version 1 as it was', async () => {
    const created = await create({ tiers: TIERS });
    const id: string = created.body.id;
    const changed = definition({ weights: [60, 40], naMethod: 'skip' });
    const revised = await http('PUT', `/v1/questionnaires/${id}/definition`, { definition: changed });
    expect(revised.status).toBe(200);
    expect(revised.body.currentVersion).toBe(2);
    expect(revised.body.definition).toMatchObject({ naMethod: 'skip', sections: [{ weight: 60 }, { weight: 40 }] });
    expect(revised.body.tiers).toEqual(created.body.tiers);
    await expectAudited(revised, 'EDIT_QUESTIONAIRE', id, { version: 2 });

    const first = await http('GET', `/v1/questionnaires/${id}/versions/1`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ questionnaireId: id, version: 1, definition: created.body.definition, tiers: created.body.tiers });
    const second = await http('GET', `/v1/questionnaires/${id}/versions/2`);
    expect(second.body.definition).toEqual(revised.body.definition);
    expect((await http('GET', `/v1/questionnaires/${id}`)).body.versions.map((row: { version: number }) => row.version)).toEqual([1, 2]);
  });

  it('makes a version for each tier change, audited as adding, updating or removing tiers', async () => {
    const created = await create();
    const id: string = created.body.id;
    expect(created.body.tiers).toEqual([]);

    const added = await http('PUT', `/v1/questionnaires/${id}/tiers`, { tiers: TIERS });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ currentVersion: 2, definition: created.body.definition });
    expect(added.body.tiers.map((tier: { name: string }) => tier.name)).toEqual(['fail', 'meets', 'exceeds']);
    await expectAudited(added, 'ADD_SCORING_TIER', id, { version: 2 });

    const updated = await http('PUT', `/v1/questionnaires/${id}/tiers`, { tiers: [{ name: 'below', from: 0, to: 60 }, { name: 'above', from: 60, to: 100 }] });
    expect(updated.body.currentVersion).toBe(3);
    await expectAudited(updated, 'UPDATE_SCORING_TIER', id, { version: 3 });

    const removed = await http('PUT', `/v1/questionnaires/${id}/tiers`, { tiers: [] });
    expect(removed.body).toMatchObject({ currentVersion: 4, tiers: [] });
    await expectAudited(removed, 'REMOVE_SCORING_TIERS', id, { version: 4 });

    expect((await http('GET', `/v1/questionnaires/${id}/versions/2`)).body.tiers).toHaveLength(3);
    expect((await http('GET', `/v1/questionnaires/${id}/versions/3`)).body.tiers).toHaveLength(2);
  });
});

describe('invalid questionnaires answer 422 naming the field', () => {
  it('section weights that do not sum to 100', async () => {
    const answer = await http('POST', '/v1/questionnaires', { name: 'Weights', definition: definition({ weights: [70, 20] }) });
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'definition.sections', message: expect.stringContaining('sum to 100 (they sum to 90)') })]);
  });

  it('overlapping tiers', async () => {
    const tiers = [{ name: 'low', from: 0, to: 60 }, { name: 'high', from: 50, to: 100 }];
    const answer = await http('POST', '/v1/questionnaires', { name: 'Overlap', definition: definition(), tiers });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'tiers.1.from', message: expect.stringContaining('overlap') })]);
  });

  it('tiers with a gap, on creation and on a tier change', async () => {
    const tiers = [{ name: 'low', from: 0, to: 40 }, { name: 'mid', from: 40, to: 70 }, { name: 'high', from: 75, to: 100 }];
    const answer = await http('POST', '/v1/questionnaires', { name: 'Gap', definition: definition(), tiers });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'tiers.2.from', message: expect.stringContaining('gap') })]);

    const id: string = (await create()).body.id;
    const change = await http('PUT', `/v1/questionnaires/${id}/tiers`, { tiers });
    expect(change.status).toBe(422);
    expect(fieldsOf(change)).toEqual(['tiers.2.from']);
    expect((await http('GET', `/v1/questionnaires/${id}`)).body.currentVersion).toBe(1);
  });

  it('a choice question without options', async () => {
    const broken = definition();
    delete (broken.sections[1]!.questions[0] as { options?: unknown }).options;
    const answer = await http('POST', '/v1/questionnaires', { name: 'No options', definition: broken });
    expect(answer.status).toBe(422);
    expect(fieldsOf(answer)).toEqual(['definition.sections.1.questions.0.options']);

    const id: string = (await create()).body.id;
    const revised = await http('PUT', `/v1/questionnaires/${id}/definition`, { definition: broken });
    expect(revised.status).toBe(422);
    expect(fieldsOf(revised)).toEqual(['definition.sections.1.questions.0.options']);
  });

  it('call selection rules that cannot hold', async () => {
    const id: string = (await create()).body.id;
    const answer = await http('PUT', `/v1/questionnaires/${id}/selection-rules`, { selectionRules: { minDurationSeconds: 300, maxDurationSeconds: 60, timeOfDay: { from: '25:00', to: '06:00' } } });
    expect(answer.status).toBe(422);
    expect(fieldsOf(answer)).toContain('selectionRules.timeOfDay.from');
  });
});

describe('edits in place', () => {
  it('changes name, dispute window, evaluator groups and selection rules without a new version', async () => {
    const id: string = (await create()).body.id;
    const patched = await http('PATCH', `/v1/questionnaires/${id}`, { name: 'Renamed', disputeWindowDays: 30 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Renamed', disputeWindowDays: 30, currentVersion: 1 });
    await expectAudited(patched, 'EDIT_QUESTIONAIRE_PROPERTIES', id, { changed: { name: expect.any(Object), disputeWindowDays: { from: 14, to: 30 } } });

    const groups = await http('PUT', `/v1/questionnaires/${id}/permissions`, { evaluatorGroups: ['Evaluators A', 'Evaluators B'] });
    expect(groups.status).toBe(200);
    expect(groups.body).toMatchObject({ evaluatorGroups: ['Evaluators A', 'Evaluators B'], currentVersion: 1 });
    await expectAudited(groups, 'EDIT_QUESTIONAIRE_PERMISSIONS', id, { evaluatorGroups: ['Evaluators A', 'Evaluators B'] });

    const selectionRules = { queues: ['Trading Desk'], tags: [{ name: 'MIFID' }], minDurationSeconds: 60, directions: ['INBOUND'], timeOfDay: { from: '22:00', to: '06:00' } };
    const rules = await http('PUT', `/v1/questionnaires/${id}/selection-rules`, { selectionRules });
    expect(rules.status).toBe(200);
    expect(rules.body).toMatchObject({ selectionRules, currentVersion: 1 });
    await expectAudited(rules, 'EDIT_QUESTIONAIRE_CALL_SELECTION_RULES', id, { selectionRules });

    expect((await http('PATCH', `/v1/questionnaires/${id}`, { disputeWindowDays: 0 })).status).toBe(422);
    expect(fieldsOf(await http('PATCH', `/v1/questionnaires/${id}`, {}))).toEqual(['(body)']);
  });

  it('moves between states, and refuses draft once used', async () => {
    const id: string = (await create()).body.id;
    const setState = (state: string) => http('PATCH', `/v1/questionnaires/${id}`, { state });
    const activated = await setState('active');
    expect(activated.body.state).toBe('active');
    await expectAudited(activated, 'EDIT_QUESTIONAIRE_PROPERTIES', id, { changed: { state: { from: 'draft', to: 'active' } } });
    expect((await setState('inactive')).body.state).toBe('inactive');
    expect((await setState('draft')).body.state).toBe('draft');
    expect((await setState('active')).body.state).toBe('active');

    await useInReview(id);
    expect((await http('GET', `/v1/questionnaires/${id}`)).body.usedByReviews).toBe(1);
    const refused = await setState('draft');
    expect(refused.status).toBe(409);
    expect((await auditOf(refused, 'EDIT_QUESTIONAIRE_PROPERTIES')).result).toBe('FAIL');
    expect((await setState('inactive')).body.state).toBe('inactive');
    expect((await setState('active')).body.state).toBe('active');
  });
});

describe('removing', () => {
  it('deletes a questionnaire no review used, with its versions', async () => {
    const id: string = (await create()).body.id;
    await http('PUT', `/v1/questionnaires/${id}/tiers`, { tiers: TIERS });
    const removed = await http('DELETE', `/v1/questionnaires/${id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: 'deleted' });
    await expectAudited(removed, 'REMOVE_QUESTIONAIRE', id, { removed: 'deleted' });
    expect((await http('GET', `/v1/questionnaires/${id}`)).status).toBe(404);
    expect((await http('GET', `/v1/questionnaires/${id}/versions/1`)).status).toBe(404);
    expect((await http('DELETE', `/v1/questionnaires/${id}`)).status).toBe(404);
  });

  it('retires a used one: inactive, kept with its versions, never active or revised again', async () => {
    const created = await create({ state: 'active', tiers: TIERS });
    const id: string = created.body.id;
    await useInReview(id);
    const removed = await http('DELETE', `/v1/questionnaires/${id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ removed: 'retired' });
    await expectAudited(removed, 'REMOVE_QUESTIONAIRE', id, { removed: 'retired', usedByReviews: 1 });

    const read = await http('GET', `/v1/questionnaires/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ state: 'inactive', retiredAt: expect.any(String), usedByReviews: 1 });
    expect((await http('GET', `/v1/questionnaires/${id}/versions/1`)).body.definition).toEqual(created.body.definition);

    expect((await http('PATCH', `/v1/questionnaires/${id}`, { state: 'active' })).status).toBe(409);
    expect((await http('PATCH', `/v1/questionnaires/${id}`, { state: 'draft' })).status).toBe(409);
    expect((await http('PUT', `/v1/questionnaires/${id}/definition`, { definition: definition() })).status).toBe(409);
    expect((await http('GET', `/v1/questionnaires/${id}`)).body).toMatchObject({ state: 'inactive', currentVersion: 1 });
  });

  it('refuses while an enabled review plan uses it, naming the plan', async () => {
    const id: string = (await create({ state: 'active' })).body.id;
    const planName = `Weekly trading desk ${randomUUID().slice(0, 8)}`;
    await harness.db.insert(reviewPlans).values({
      id: randomUUID(),
      name: planName,
      questionnaireId: id,
      period: 'weekly',
      mode: 'per-agent',
      targetPerAgent: 5,
      agentGroup: 'Trading Desk',
      evaluatorGroup: 'Quality Team',
      dueAfterSeconds: 86_400,
      ownerId: manager.userId,
    });
    const refused = await http('DELETE', `/v1/questionnaires/${id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(planName);
    expect((await auditOf(refused, 'REMOVE_QUESTIONAIRE')).result).toBe('FAIL');
    expect((await http('GET', `/v1/questionnaires/${id}`)).body.state).toBe('active');
  });
});
