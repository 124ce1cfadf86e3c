import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { conversations, reviewPlanRuns, reviews } from '../../src/db/schema/index.js';
import { auditEntriesOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { previousPeriod } from '../../src/domain/review-periods.js';
import { reviewPlanScheduleId } from '../../src/workflows/review-plan-run.contract.js';
import { activeQuestionnaire } from '../support/reviews.js';

/**
 * Review plans through the API, on the real Temporal server and PostgreSQL: a run samples each agent's
 * conversations of the period (call selection rules first), assigns them by workload, reports shortfalls,
 * and a re-run of the period only tops up what is missing.
 */
const harness = await createHarness();
afterAll(() => harness.close());

// The week of Monday 16 November 2026, in Berlin.
const WEEK = { start: '2026-11-15T23:00:00.000Z', end: '2026-11-22T23:00:00.000Z' };
const inWeek = (day: number, hour: number) => new Date(Date.UTC(2026, 10, 16 + day, hour, 0, 0)).toISOString();

/** Captures a call of this agent starting at `startedAt`, lasting `seconds`. */
async function capture(agent: string, startedAt: string, seconds = 30): Promise<string> {
  const end = new Date(Date.parse(startedAt) + seconds * 1000).toISOString();
  const record = contactRecord({ Agent: { Username: agent }, InitiationTimestamp: startedAt, ConnectedToSystemTimestamp: startedAt, DisconnectTimestamp: end, LastUpdateTimestamp: end });
  const answer = await harness.http('POST', '/v1/contact-records', record);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.results[0].conversationId;
}

interface Desk {
  group: string;
  evaluatorGroup: string;
  manager: Identity;
  agents: Identity[];
  evaluators: Identity[];
}

async function desk(agentCount: number, evaluatorCount: number): Promise<Desk> {
  const group = uniqueId('desk');
  const evaluatorGroup = uniqueId('evaluators');
  const manager = await harness.identityFor('cc-manager');
  const agents = await Promise.all(Array.from({ length: agentCount }, () => harness.identityFor('agent', { groupNames: [group] })));
  const evaluators = await Promise.all(Array.from({ length: evaluatorCount }, () => harness.identityFor('evaluator', { groupNames: [evaluatorGroup] })));
  return { group, evaluatorGroup, manager, agents, evaluators };
}

async function weeklyPlan(setup: Desk, questionnaireId: string, extra: Record<string, unknown> = {}) {
  const answer = await harness.as(setup.manager.token).http('POST', '/v1/review-plans', {
    name: uniqueId('weekly plan'),
    questionnaireId,
    period: 'weekly',
    timeZone: 'Europe/Berlin',
    mode: 'per-agent',
    targetPerAgent: 2,
    agentGroup: setup.group,
    evaluatorGroup: setup.evaluatorGroup,
    dueAfterSeconds: 3 * 24 * 3600,
    ...extra,
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id as string;
}

const runPlan = (setup: Desk, planId: string) => harness.as(setup.manager.token).http('POST', `/v1/review-plans/${planId}/runs`, { periodContaining: inWeek(2, 12) });

describe('a weekly review plan', () => {
  it('meets the target per agent, prefers the questionnaire’s calls, balances evaluators, reports the shortfall, and a re-run adds nothing twice', async () => {
    const setup = await desk(3, 3);
    const [busy, steady, quiet] = setup.agents as [Identity, Identity, Identity];
    // The questionnaire suits calls of at least two minutes: the busy agent's two long calls go first.
    const questionnaireId = await activeQuestionnaire(harness, setup.manager, { selectionRules: { minDurationSeconds: 120 } });
    const longCalls = [await capture(busy.username, inWeek(0, 9), 300), await capture(busy.username, inWeek(4, 15), 200)];
    for (const day of [1, 2, 3]) await capture(busy.username, inWeek(day, 10));
    for (const day of [0, 3, 5]) await capture(steady.username, inWeek(day, 11));
    const quietCall = await capture(quiet.username, inWeek(1, 8));
    const outsideWeek = await capture(steady.username, '2026-11-24T10:00:00Z');

    const planId = await weeklyPlan(setup, questionnaireId);
    const first = await runPlan(setup, planId);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.periodStart).toBe(WEEK.start);
    expect(first.body.periodEnd).toBe(WEEK.end);
    const report = first.body.report;
    expect(report.selected).toBe(5);
    expect(report.agents).toEqual(
      expect.arrayContaining([
        { agent: busy.username, target: 2, selected: 2, shortfall: 0 },
        { agent: steady.username, target: 2, selected: 2, shortfall: 0 },
        { agent: quiet.username, target: 2, selected: 1, shortfall: 1 },
      ]),
    );
    expect(report.shortfalls).toEqual([{ agent: quiet.username, target: 2, selected: 1, shortfall: 1 }]);
    expect(Object.values(report.assignedPerEvaluator).sort()).toEqual([1, 2, 2]);

    const made = await harness.db.select().from(reviews).where(eq(reviews.planId, planId));
    expect(made).toHaveLength(5);
    expect(new Set(made.map((review) => review.conversationId)).size).toBe(5);
    expect(made.filter((review) => review.agentUsername === busy.username).map((review) => review.conversationId).sort()).toEqual([...longCalls].sort());
    expect(made.map((review) => review.conversationId)).toContain(quietCall);
    expect(made.map((review) => review.conversationId)).not.toContain(outsideWeek);
    expect(made.every((review) => review.status === 'waiting' && review.dueAt !== null && review.evaluatorId !== null)).toBe(true);

    // Each review is audited on its conversation (so the trace shows it), and the run as a whole once.
    const entries = await auditEntriesOf(harness.db, first.headers.get('x-request-id')!);
    expect(entries.filter((entry) => entry.activity === 'CREATE_EVALUATION').map((entry) => entry.conversationId).sort()).toEqual(made.map((review) => review.conversationId).sort());
    expect(entries.filter((entry) => entry.activity === 'REVIEW_PLAN_RUN')).toHaveLength(1);

    const again = await runPlan(setup, planId);
    expect(again.body.runId).toBe(first.body.runId);
    expect(again.body.runs).toBe(2);
    expect(again.body.report).toMatchObject({ selected: 0, alreadySelected: 5 });
    expect(await harness.db.select().from(reviews).where(eq(reviews.planId, planId))).toHaveLength(5);

    // A call of the quiet agent that arrived late is picked up by the next run of the period, and only it.
    const lateCall = await capture(quiet.username, inWeek(5, 9));
    const topUp = await runPlan(setup, planId);
    expect(topUp.body.report).toMatchObject({ selected: 1, alreadySelected: 5, shortfalls: [] });
    const late = await harness.db.select().from(reviews).where(and(eq(reviews.planId, planId), eq(reviews.conversationId, lateCall)));
    expect(late).toHaveLength(1);

    const runs = await harness.as(setup.manager.token).http('GET', `/v1/review-plans/${planId}/runs`);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({ runs: 3, periodStart: WEEK.start });
  });

  it('never gives an evaluator their own group’s conversations when told, nor anything to a disabled evaluator', async () => {
    const setup = await desk(2, 0);
    const colleague = await harness.identityFor('evaluator', { groupNames: [setup.evaluatorGroup, setup.group] });
    const outsider = await harness.identityFor('evaluator', { groupNames: [setup.evaluatorGroup] });
    const leaver = await harness.identityFor('evaluator', { groupNames: [setup.evaluatorGroup] });
    expect((await harness.http('POST', `/v1/users/${leaver.userId}/disable`, { reason: 'left the firm' })).status).toBe(200);
    const questionnaireId = await activeQuestionnaire(harness, setup.manager);
    for (const agent of setup.agents) for (const day of [0, 1, 2]) await capture(agent.username, inWeek(day, 14));

    const planId = await weeklyPlan(setup, questionnaireId, { excludeOwnGroup: true });
    const run = await runPlan(setup, planId);
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.report.assignedPerEvaluator).toEqual({ [outsider.username]: 4, [colleague.username]: 0 });
    const made = await harness.db.select().from(reviews).where(eq(reviews.planId, planId));
    expect(made.map((review) => review.evaluatorId)).toEqual([outsider.userId, outsider.userId, outsider.userId, outsider.userId]);
  });

  it('never selects a deleted or anonymised conversation', async () => {
    const setup = await desk(1, 1);
    const [agent] = setup.agents as [Identity];
    const questionnaireId = await activeQuestionnaire(harness, setup.manager);
    const gone = [await capture(agent.username, inWeek(0, 9)), await capture(agent.username, inWeek(1, 9))];
    const kept = await capture(agent.username, inWeek(2, 9));
    // Tombstones as retention and erasure leave them (their real paths are tested with the lifecycle).
    await harness.db.update(conversations).set({ deletedAt: new Date() }).where(eq(conversations.id, gone[0]!));
    await harness.db.update(conversations).set({ externalKey: `anonymised:${gone[1]}` }).where(eq(conversations.id, gone[1]!));

    const planId = await weeklyPlan(setup, questionnaireId);
    const run = await runPlan(setup, planId);
    expect(run.body.report.agents).toEqual([{ agent: agent.username, target: 2, selected: 1, shortfall: 1 }]);
    const made = await harness.db.select().from(reviews).where(inArray(reviews.conversationId, [...gone, kept]));
    expect(made.map((review) => review.conversationId)).toEqual([kept]);
  });

  it('runs as a Temporal Schedule after each week in the plan’s time zone, reviewing the week just ended; removing the plan removes it', async () => {
    const setup = await desk(1, 1);
    const questionnaireId = await activeQuestionnaire(harness, setup.manager);
    const planId = await weeklyPlan(setup, questionnaireId);
    const schedule = harness.client.schedule.getHandle(reviewPlanScheduleId(planId));
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('Europe/Berlin');
    expect(described.spec.calendars?.[0]).toMatchObject({ dayOfWeek: [{ start: 'MONDAY' }], hour: [{ start: 1 }] });

    await schedule.trigger();
    const expected = previousPeriod(new Date(), 'weekly', 'Europe/Berlin');
    const run = await eventually(async () => (await harness.db.select().from(reviewPlanRuns).where(eq(reviewPlanRuns.planId, planId)))[0]);
    expect(run.periodStart.toISOString()).toBe(expected.start.toISOString());
    expect(run.periodEnd.toISOString()).toBe(expected.end.toISOString());

    expect((await harness.as(setup.manager.token).http('DELETE', `/v1/review-plans/${planId}`)).status).toBe(200);
    await expect(schedule.describe()).rejects.toThrow();
  });

  it('refuses a plan without what its mode needs, naming the field, and runs of a removed plan', async () => {
    const setup = await desk(0, 0);
    const questionnaireId = await activeQuestionnaire(harness, setup.manager);
    const manager = harness.as(setup.manager.token);
    const base = { name: 'p', questionnaireId, period: 'weekly', mode: 'per-agent', evaluatorGroup: setup.evaluatorGroup };
    const noTarget = await manager.http('POST', '/v1/review-plans', { ...base, agentGroup: setup.group });
    expect(noTarget.status).toBe(422);
    expect(noTarget.body.errors.map((error: { field: string }) => error.field)).toContain('targetPerAgent');
    const badZone = await manager.http('POST', '/v1/review-plans', { ...base, agentGroup: setup.group, targetPerAgent: 1, timeZone: 'Mars/Olympus' });
    expect(badZone.status).toBe(422);
    expect(badZone.body.errors[0].field).toBe('timeZone');
    const once = await manager.http('POST', '/v1/review-plans', { ...base, period: 'once', agentGroup: setup.group, targetPerAgent: 1 });
    expect(once.body.errors.map((error: { field: string }) => error.field)).toContain('window');

    const planId = await weeklyPlan(setup, questionnaireId);
    expect((await manager.http('DELETE', `/v1/review-plans/${planId}`)).status).toBe(200);
    const refused = await runPlan(setup, planId);
    expect(refused.status).toBe(409);
    expect(await harness.db.select().from(reviewPlanRuns).where(eq(reviewPlanRuns.planId, planId))).toEqual([]);
    expect((await harness.as((await harness.identityFor('agent')).token).http('POST', '/v1/review-plans', base)).status).toBe(403);
  });
});
