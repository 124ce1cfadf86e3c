import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf, entryShapes } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { captureConversations, insertDispute, insertQuestionnaire, insertReview, revealedReview, THREE_QUESTIONS } from '../support/reviews.js';

let harness: Harness;
let data: Awaited<ReturnType<typeof dataset>>;
beforeAll(async () => {
  harness = await createHarness();
  data = await dataset();
});
afterAll(async () => {
  await harness?.close();
});

const FROM = '2026-01-01T00:00:00Z';
const TO = '2026-03-01T00:00:00Z';

/**
 * Three agents, one of them (bob) in two groups, six counted reviews in January and February 2026, and
 * reviews that must never count: deleted, kept out of reports, still open, outside the range, calibration.
 * One questionnaire of this file's own scopes every report, so other files' reviews never show.
 *
 *   alice [A]     80 meets (e1, Jan 10)  60 needs coaching (e1, Jan 31 23:30 UTC = Feb 1 in Berlin)  100 exceeds (e2, Feb 15)
 *   bob   [A, B]  40 fail, failed (e1, Jan 12)  90 exceeds (e2, Feb 3)
 *   carol [C]     70 needs coaching (e2, Feb 20)
 *   disputes: alice's 80 one open; alice's 60 one rejected; bob's 40 one accepted and one partially accepted
 */
async function dataset() {
  const suffix = randomUUID().slice(0, 8);
  const groups = { a: `desk-a-${suffix}`, b: `desk-b-${suffix}`, c: `=desk-c-${suffix}` };
  const alice = await harness.identityFor('agent', { username: `alice-${suffix}`, groupNames: [groups.a] });
  const bob = await harness.identityFor('agent', { username: `bob-${suffix}`, groupNames: [groups.a, groups.b] });
  const carol = await harness.identityFor('agent', { username: `carol-${suffix}`, groupNames: [groups.c] });
  const e1 = await harness.identityFor('evaluator', { username: `e1-${suffix}` });
  const e2 = await harness.identityFor('evaluator', { username: `e2-${suffix}` });
  const manager = await harness.identityFor('cc-manager');
  const questionnaire = await insertQuestionnaire(harness.db, { name: `Reports ${suffix}`, definition: THREE_QUESTIONS });
  const groupsOf = (agent: Identity) => (agent === alice ? [groups.a] : agent === bob ? [groups.a, groups.b] : [groups.c]);

  const planned: [Identity, number | null, string | null, Identity, string, Partial<Parameters<typeof insertReview>[1]>?][] = [
    [alice, 80, 'meets', e1, '2026-01-10T10:00:00Z'],
    [alice, 60, 'needs coaching', e1, '2026-01-31T23:30:00Z', { needsTraining: true }],
    [alice, 100, 'exceeds', e2, '2026-02-15T10:00:00Z'],
    [bob, 40, 'fail', e1, '2026-01-12T10:00:00Z', { needsTraining: true, failed: true }],
    [bob, 90, 'exceeds', e2, '2026-02-03T10:00:00Z'],
    [carol, 70, 'needs coaching', e2, '2026-02-20T10:00:00Z', { needsTraining: true }],
    // Never counted:
    [alice, 10, 'fail', e1, '2026-01-15T10:00:00Z', { status: 'deleted' }],
    [alice, 20, 'fail', e1, '2026-01-16T10:00:00Z', { includeInReports: false }],
    [alice, null, null, e1, '2026-01-17T10:00:00Z', { status: 'in-progress' }],
    [alice, 30, 'fail', e1, '2026-03-05T10:00:00Z'],
    [alice, 0, 'fail', e1, '2026-01-20T10:00:00Z', { kind: 'calibration' }],
  ];
  const conversations = await captureConversations(harness, planned.map(([agent]) => agent.username));
  const ids: string[] = [];
  for (const [index, [agent, percent, tierName, evaluator, completedAt, extra]] of planned.entries()) {
    ids.push(
      await insertReview(harness.db, {
        questionnaireId: questionnaire.id,
        conversationId: conversations[index]!,
        agentUsername: agent.username,
        agentGroups: groupsOf(agent),
        evaluatorId: evaluator.userId,
        percent,
        tierName,
        completedAt: new Date(completedAt),
        ...extra,
      }),
    );
  }
  await insertDispute(harness.db, ids[0]!, alice.username, null);
  await insertDispute(harness.db, ids[1]!, alice.username, 'rejected');
  await insertDispute(harness.db, ids[3]!, bob.username, 'accepted');
  await insertDispute(harness.db, ids[3]!, bob.username, 'partially-accepted');
  return { suffix, groups, alice, bob, carol, e1, e2, manager, questionnaire };
}

interface Row {
  key: string;
  label: string;
  reviews: number;
  averagePercent: number;
  [field: string]: unknown;
}

async function report(query: string, token = data.manager.token): Promise<{ rows: Row[]; body: any; answer: Awaited<ReturnType<Harness['http']>> }> {
  const answer = await harness.as(token).http('GET', `/v1/review-reports?questionnaireId=${data.questionnaire.id}&from=${FROM}&to=${TO}&${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { rows: answer.body.rows, body: answer.body, answer };
}

const byKey = (rows: Row[]) => Object.fromEntries(rows.map((row) => [row.key, row]));
const sizesAndAverages = (rows: Row[]) => Object.fromEntries(rows.map((row) => [row.key, [row.reviews, row.averagePercent]]));

describe('review reports', () => {
  it('groups by agent with the sample size next to each average, min, max, failed, tiers and training', async () => {
    const { rows } = await report('groupBy=agent');
    const { alice, bob, carol } = data;
    expect(rows.map((row) => row.key).sort()).toEqual([alice.username, bob.username, carol.username].sort());
    const rowOf = byKey(rows);
    expect(rowOf[alice.username]).toMatchObject({
      label: alice.username,
      reviews: 3,
      scored: 3,
      averagePercent: 80,
      minPercent: 60,
      maxPercent: 100,
      failed: 0,
      needsTraining: 1,
      tiers: { meets: 1, 'needs coaching': 1, exceeds: 1 },
    });
    expect(rowOf[bob.username]).toMatchObject({ reviews: 2, averagePercent: 65, minPercent: 40, maxPercent: 90, failed: 1, needsTraining: 1, tiers: { fail: 1, exceeds: 1 } });
    expect(rowOf[carol.username]).toMatchObject({ reviews: 1, averagePercent: 70, minPercent: 70, maxPercent: 70, failed: 0, needsTraining: 1, tiers: { 'needs coaching': 1 } });
  });

  it('counts disputes per row: opened, each outcome, still open, and the share of reviews disputed', async () => {
    const rowOf = byKey((await report('groupBy=agent')).rows);
    expect(rowOf[data.alice.username]).toMatchObject({
      disputes: { opened: 2, accepted: 0, partiallyAccepted: 0, rejected: 1, open: 1 },
      disputedReviews: 2,
      disputeRate: 0.6667,
    });
    // Two disputes of one review: the rate counts the review once.
    expect(rowOf[data.bob.username]).toMatchObject({ disputes: { opened: 2, accepted: 1, partiallyAccepted: 1, rejected: 0, open: 0 }, disputedReviews: 1, disputeRate: 0.5 });
    expect(rowOf[data.carol.username]).toMatchObject({ disputes: { opened: 0, accepted: 0, partiallyAccepted: 0, rejected: 0, open: 0 }, disputedReviews: 0, disputeRate: 0 });
  });

  it('counts the disputes opened and resolved through the dispute routes', async () => {
    const people = {
      agent: await harness.identityFor('agent'),
      evaluator: await harness.identityFor('evaluator'),
      manager: data.manager,
    };
    const questionnaire = await insertQuestionnaire(harness.db);
    const review = await revealedReview(harness, people, { questionnaireId: questionnaire.id });
    const openDispute = async (comment: string) => {
      const disputed = await harness.as(people.agent.token).http('POST', `/v1/reviews/${review.id}/disputes`, { comment });
      expect(disputed.status, JSON.stringify(disputed.body)).toBe(201);
      return `/v1/reviews/${review.id}/disputes/${disputed.body.id}/resolution`;
    };
    const disputesNow = async () => {
      const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
      const answer = await harness.as(data.manager.token).http('GET', `/v1/review-reports?groupBy=agent&questionnaireId=${questionnaire.id}&${range}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body.rows.map((row: Row) => [row.key, row.disputes, row.disputedReviews]);
    };

    const first = await openDispute('The product risks were explained');
    expect(await disputesNow()).toEqual([[people.agent.username, { opened: 1, accepted: 0, partiallyAccepted: 0, rejected: 0, open: 1 }, 1]]);
    expect((await harness.as(data.manager.token).http('POST', first, { resolution: 'accepted', comment: 'Agreed' })).status).toBe(200);
    const second = await openDispute('And the tone was fine');
    expect((await harness.as(data.manager.token).http('POST', second, { resolution: 'rejected', comment: 'No' })).status).toBe(200);
    expect(await disputesNow()).toEqual([[people.agent.username, { opened: 2, accepted: 1, partiallyAccepted: 0, rejected: 1, open: 0 }, 1]]);
  });

  it('groups by group, counting an agent in two groups in each', async () => {
    const { rows } = await report('groupBy=group');
    const { a, b, c } = data.groups;
    expect(sizesAndAverages(rows)).toEqual({ [a]: [5, 74], [b]: [2, 65], [c]: [1, 70] });
    expect(byKey(rows)[a]).toMatchObject({ minPercent: 40, maxPercent: 100, failed: 1, needsTraining: 2, tiers: { meets: 1, 'needs coaching': 1, exceeds: 2, fail: 1 }, disputedReviews: 3, disputeRate: 0.6 });
    // Narrowed to one group, a group report shows only that group, not the other groups of its agents.
    expect(sizesAndAverages((await report(`groupBy=group&agentGroup=${encodeURIComponent(b)}`)).rows)).toEqual({ [b]: [2, 65] });
    expect(sizesAndAverages((await report(`groupBy=agent&agentGroup=${encodeURIComponent(b)}`)).rows)).toEqual({ [data.bob.username]: [2, 65] });
  });

  it('groups by period in the caller’s time zone or the one asked for', async () => {
    const utc = await report('groupBy=period&periodUnit=month');
    expect(utc.body).toMatchObject({ groupBy: 'period', periodUnit: 'month', timeZone: 'UTC' });
    expect(utc.rows.map((row) => [row.key, row.label, row.reviews, row.averagePercent])).toEqual([
      ['2026-01-01', '2026-01', 3, 60],
      ['2026-02-01', '2026-02', 3, 86.67],
    ]);
    // 23:30 UTC on 31 January is already February in Berlin.
    const berlin = [
      ['2026-01-01', '2026-01', 2, 60],
      ['2026-02-01', '2026-02', 4, 80],
    ];
    const asked = await report('groupBy=period&periodUnit=month&timeZone=Europe/Berlin');
    expect(asked.rows.map((row) => [row.key, row.label, row.reviews, row.averagePercent])).toEqual(berlin);
    const berliner = await harness.identityFor('compliance-analyst', { timeZone: 'Europe/Berlin' });
    const own = await report('groupBy=period&periodUnit=month', berliner.token);
    expect(own.body.timeZone).toBe('Europe/Berlin');
    expect(own.rows.map((row) => [row.key, row.label, row.reviews, row.averagePercent])).toEqual(berlin);

    // ISO weeks start on Monday: Saturday 10 January is in the week of Monday 5 January, week 2.
    const weeks = byKey((await report('groupBy=period&periodUnit=week')).rows);
    expect(weeks['2026-01-05']).toMatchObject({ label: '2026-W02', reviews: 1, averagePercent: 80 });
    expect(weeks['2026-01-12']).toMatchObject({ label: '2026-W03', reviews: 1, averagePercent: 40 });
  });

  it('groups by evaluator and by questionnaire, labelled by name', async () => {
    const evaluators = byKey((await report('groupBy=evaluator')).rows);
    expect(evaluators[data.e1.userId]).toMatchObject({ label: data.e1.username, reviews: 3, averagePercent: 60 });
    expect(evaluators[data.e2.userId]).toMatchObject({ label: data.e2.username, reviews: 3, averagePercent: 86.67 });
    const questionnaires = (await report('groupBy=questionnaire')).rows;
    expect(questionnaires).toEqual([expect.objectContaining({ key: data.questionnaire.id, label: `Reports ${data.suffix}`, reviews: 6, averagePercent: 73.33 })]);
  });

  it('shows a supervisor only the agents of the groups they supervise', async () => {
    const { a, b, c } = data.groups;
    const ofC = await harness.identityFor('supervisor', { supervisedGroups: [c] });
    expect(sizesAndAverages((await report('groupBy=agent', ofC.token)).rows)).toEqual({ [data.carol.username]: [1, 70] });
    expect(sizesAndAverages((await report('groupBy=evaluator', ofC.token)).rows)).toEqual({ [data.e2.userId]: [1, 70] });
    // Bob is in A and B: B's supervisor sees bob, and by group only B, never A's row made of bob alone.
    const ofB = await harness.identityFor('supervisor', { supervisedGroups: [b] });
    expect(sizesAndAverages((await report('groupBy=agent', ofB.token)).rows)).toEqual({ [data.bob.username]: [2, 65] });
    expect(sizesAndAverages((await report('groupBy=group', ofB.token)).rows)).toEqual({ [b]: [2, 65] });
    const ofA = await harness.identityFor('supervisor', { supervisedGroups: [a] });
    expect(sizesAndAverages((await report('groupBy=group', ofA.token)).rows)).toEqual({ [a]: [5, 74] });
    const ofNone = await harness.identityFor('supervisor');
    expect((await report('groupBy=agent', ofNone.token)).rows).toEqual([]);
  });

  it('audits each report as EVALUATION_REPORT with its filters', async () => {
    const { answer } = await report('groupBy=agent');
    expect(await entryShapes(harness.db, answer)).toEqual(['EVALUATION_REPORT:SYNC:OK']);
    const [entry] = await entriesOf(harness.db, answer);
    expect(entry!.details).toMatchObject({
      report: 'scores',
      format: 'json',
      filters: { groupBy: 'agent', from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z', questionnaireId: data.questionnaire.id, timeZone: 'UTC' },
      rows: 3,
    });
  });

  it('exports the same rows as CSV, a formula-looking group name quoted, audited with its filters', async () => {
    const answer = await harness
      .as(data.manager.token)
      .http('GET', `/v1/review-reports/export?groupBy=group&questionnaireId=${data.questionnaire.id}&from=${FROM}&to=${TO}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('text/csv');
    const lines = (answer.body as string).split('\r\n');
    expect(lines[0]).toBe(
      'key,label,reviews,scored,averagePercent,minPercent,maxPercent,failed,needsTraining,disputesOpened,disputesAccepted,disputesPartiallyAccepted,' +
        'disputesRejected,disputesOpen,disputedReviews,disputeRate,tier:exceeds,tier:fail,tier:meets,tier:needs coaching',
    );
    const { a, c } = data.groups;
    expect(lines).toContain(`${a},${a},5,5,74,40,100,1,2,4,1,1,1,1,3,0.6,2,1,1,1`);
    expect(lines).toContain(`'${c},'${c},1,1,70,70,70,0,1,0,0,0,0,0,0,0,0,0,0,1`);
    expect(lines.filter((line) => line !== '')).toHaveLength(4);
    expect(await entryShapes(harness.db, answer)).toEqual(['EVALUATION_REPORT:SYNC:OK']);
    const [entry] = await entriesOf(harness.db, answer);
    expect(entry!.details).toMatchObject({ report: 'scores', format: 'csv', filters: { groupBy: 'group', questionnaireId: data.questionnaire.id }, rows: 3 });
  });

  it('refuses a range that ends before it starts, an unknown time zone and a missing bound, naming the field', async () => {
    const call = (query: string) => harness.as(data.manager.token).http('GET', `/v1/review-reports?groupBy=agent&${query}`);
    expect((await call(`from=${TO}&to=${FROM}`)).body.errors[0].field).toBe('to');
    expect((await call(`from=${FROM}&to=${TO}&timeZone=Mars/Olympus`)).body.errors[0].field).toBe('timeZone');
    const missing = await call(`from=${FROM}`);
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].field).toBe('to');
  });
});
