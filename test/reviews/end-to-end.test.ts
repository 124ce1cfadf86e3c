import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { reviews } from '../../src/db/schema/index.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { SAMPLE_TIERS } from '../support/reviews.js';

/**
 * The compliance manager's whole job on the real Temporal server and PostgreSQL: a questionnaire with
 * weights, an N/A question, a critical question and tiers; a weekly plan for a group; a run that meets the
 * target per agent without repeats, balanced over three evaluators; a review that scores in a "needs
 * training" tier; the agent's dispute, partially accepted, the score recomputed; every step in the
 * conversation's trace and the audit log under the seed's activity names; a second run assigning nothing.
 */
const harness = await createHarness();
afterAll(() => harness.close());

const QUESTIONNAIRE = {
  definition: {
    scoring: 'percentage',
    naMethod: 'section-actual-average',
    sections: [
      {
        id: 'compliance',
        title: 'MiFID II conduct',
        weight: 60,
        questions: [
          { id: 'recording-disclosure', text: 'Was the client told the call is recorded?', type: 'yes-no', critical: 'fail-all' },
          { id: 'suitability', text: 'Was suitability checked before advice?', type: 'yes-partial-no', weight: 2 },
          { id: 'costs', text: 'Were costs and charges disclosed?', type: 'yes-no', allowNa: true },
        ],
      },
      {
        id: 'service',
        title: 'Service',
        weight: 40,
        questions: [
          { id: 'courtesy', text: 'Courtesy', type: 'scale-1-5' },
          { id: 'notes', text: 'Notes', type: 'free-text', required: false },
        ],
      },
    ],
  },
  tiers: SAMPLE_TIERS,
};

// The week of Monday 16 November 2026 (UTC).
const inWeek = (day: number, hour: number) => new Date(Date.UTC(2026, 10, 16 + day, hour)).toISOString();

describe('reviews from questionnaire to dispute', () => {
  it('runs the whole programme, and shows every step in the trace and the audit log', async () => {
    const desk = uniqueId('trading-desk');
    const evaluatorGroup = uniqueId('qa-team');
    const manager = await harness.identityFor('cc-manager');
    const asManager = harness.as(manager.token);
    const agents = await Promise.all([1, 2, 3].map(() => harness.identityFor('agent', { groupNames: [desk] })));
    const evaluators = await Promise.all([1, 2, 3].map(() => harness.identityFor('evaluator', { groupNames: [evaluatorGroup] })));

    const questionnaire = await asManager.http('POST', '/v1/questionnaires', { name: uniqueId('MiFID call review'), ...QUESTIONNAIRE, state: 'active', disputeWindowDays: 14 });
    expect(questionnaire.status, JSON.stringify(questionnaire.body)).toBe(201);

    const plan = await asManager.http('POST', '/v1/review-plans', {
      name: uniqueId('Trading desk weekly'),
      questionnaireId: questionnaire.body.id,
      period: 'weekly',
      timeZone: 'UTC',
      mode: 'per-agent',
      targetPerAgent: 2,
      agentGroup: desk,
      evaluatorGroup,
      dueAfterSeconds: 7 * 24 * 3600,
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);

    for (const agent of agents) {
      for (const day of [0, 2, 4]) {
        const start = inWeek(day, 10);
        const end = new Date(Date.parse(start) + 120_000).toISOString();
        const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agent.username }, InitiationTimestamp: start, DisconnectTimestamp: end, LastUpdateTimestamp: end }));
        expect(posted.status).toBe(200);
      }
    }

    const run = await asManager.http('POST', `/v1/review-plans/${plan.body.id}/runs`, { periodContaining: inWeek(3, 12) });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.report.selected).toBe(6);
    expect(run.body.report.shortfalls).toEqual([]);
    expect(run.body.report.agents.map((agent: { selected: number }) => agent.selected)).toEqual([2, 2, 2]);
    expect(run.body.report.assignedPerEvaluator).toEqual(Object.fromEntries(evaluators.map((evaluator) => [evaluator.username, 2])));
    const made = await harness.db.select().from(reviews).where(eq(reviews.planId, plan.body.id));
    expect(new Set(made.map((review) => review.conversationId)).size).toBe(6);

    // An evaluator works through their queue and completes a review that needs training.
    const review = made[0]!;
    const evaluator = evaluators.find((candidate) => candidate.userId === review.evaluatorId)!;
    const agent = agents.find((candidate) => candidate.username === review.agentUsername)!;
    const asEvaluator = harness.as(evaluator.token);
    const queue = await asEvaluator.http('GET', '/v1/reviews?evaluatorId=me');
    expect(queue.body.items.map((item: { id: string }) => item.id).sort()).toEqual(made.filter((row) => row.evaluatorId === evaluator.userId).map((row) => row.id).sort());
    expect((await asEvaluator.http('POST', `/v1/reviews/${review.id}/start`)).status).toBe(200);
    const completed = await asEvaluator.http('POST', `/v1/reviews/${review.id}/complete`, {
      answers: {
        'recording-disclosure': { value: 'yes' },
        suitability: { value: 'partial' },
        costs: { na: true },
        courtesy: { value: 3 },
        notes: { value: 'rushed the suitability questions' },
      },
    });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    // Compliance: 1 + 0.5×2 + N/A taken as the section's actual mean 0.75 → 2.75 / 4 = 68.75 %; service: (3−1)/4 = 50 %.
    // 68.75 × 0.6 + 50 × 0.4 = 61.25 %: "needs coaching", which needs training.
    expect(completed.body.score).toMatchObject({ percent: 61.25, failed: false, tier: { name: 'needs coaching', needsTraining: true } });

    // Revealed, the agent sees it (and only then), and disputes the suitability answer.
    const asAgent = harness.as(agent.token);
    expect((await asAgent.http('GET', `/v1/reviews/${review.id}`)).status).toBe(404);
    expect((await asEvaluator.http('PUT', `/v1/reviews/${review.id}/reveal`, { revealed: true })).status).toBe(200);
    const own = await asAgent.http('GET', '/v1/reviews');
    expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([review.id]);
    const dispute = await asAgent.http('POST', `/v1/reviews/${review.id}/disputes`, {
      comment: 'I checked suitability in full at 10:01; courtesy was fine too.',
      suggestedAnswers: { suitability: { value: 'yes' }, courtesy: { value: 5 } },
    });
    expect(dispute.status, JSON.stringify(dispute.body)).toBe(201);
    const disputeId = dispute.body.id;

    // The plan owner accepts the suitability point only; the score is recomputed, never set by hand.
    const resolved = await asManager.http('POST', `/v1/reviews/${review.id}/disputes/${disputeId}/resolution`, {
      resolution: 'partially-accepted',
      comment: 'Suitability confirmed on the recording; courtesy stays.',
      answers: { suitability: { value: 'yes' } },
    });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    // Compliance: (1 + 2 + mean(1, 1)) / 4 = 100 %; 100 × 0.6 + 50 × 0.4 = 80 %: "meets".
    const after = await asManager.http('GET', `/v1/reviews/${review.id}`);
    expect(after.body.score).toMatchObject({ percent: 80, tier: { name: 'meets', needsTraining: false } });
    expect(after.body.disputes).toEqual([expect.objectContaining({ resolution: 'partially-accepted', scoreBefore: 61.25, scoreAfter: 80 })]);

    // The conversation's lifecycle recorded the review's steps; its trace and the audit log show them all.
    const lifecycle = harness.client.workflow.getHandle(conversationWorkflowId(review.conversationId));
    await eventually(async () => {
      const steps = (await lifecycle.query(lifecycleStateQuery)).steps.map((step) => step.step);
      return steps.includes('review-dispute-partially-accepted') ? steps : undefined;
    });
    const steps = (await lifecycle.query(lifecycleStateQuery)).steps.map((step) => step.step);
    expect(steps.filter((step) => step.startsWith('review-'))).toEqual(['review-selected', 'review-completed', 'review-disputed', 'review-dispute-partially-accepted']);

    const trace = await asManager.http('GET', `/v1/conversations/${review.conversationId}/trace`);
    expect(trace.status).toBe(200);
    const activities = trace.body.steps.filter((step: { source: string }) => step.source === 'audit').map((step: { audit: { activity: string } }) => step.audit.activity);
    for (const activity of ['CREATE_EVALUATION', 'START_EVALUATION', 'COMPLETE_EVALUATION', 'REVEAL_TO_AGENT_CHANGED', 'REVIEW_DISPUTE', 'REVIEW_DISPUTE_RESOLVE']) {
      expect(activities, activity).toContain(activity);
    }
    const told = trace.body.steps.filter((step: { source: string; description: string }) => step.source === 'workflow' && step.description.includes(`review ${review.id}`));
    expect(told.map((step: { description: string }) => step.description.split(' ').at(-1))).toEqual(['selected', 'completed', 'disputed', 'dispute-partially-accepted']);

    const audit = await asManager.http('GET', `/v1/audit?conversationId=${review.conversationId}`);
    expect(audit.status, JSON.stringify(audit.body)).toBe(200);
    expect(new Set(audit.body.entries.filter((entry: { module: string }) => entry.module === 'Reviews').map((entry: { activity: string }) => entry.activity))).toEqual(
      new Set(['CREATE_EVALUATION', 'START_EVALUATION', 'COMPLETE_EVALUATION', 'REVEAL_TO_AGENT_CHANGED', 'REVIEW_DISPUTE', 'REVIEW_DISPUTE_RESOLVE', 'EVALUATIONS_SEARCH']),
    );
    // The agent's look at the review before it was revealed was refused, and that is on record too.
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ activity: 'EVALUATIONS_SEARCH', result: 'UNAUTHORIZED', username: agent.username }));

    // Running the same week again selects and assigns nothing twice.
    const again = await asManager.http('POST', `/v1/review-plans/${plan.body.id}/runs`, { periodContaining: inWeek(1, 9) });
    expect(again.body.report).toMatchObject({ selected: 0, alreadySelected: 6 });
    expect(await harness.db.select().from(reviews).where(eq(reviews.planId, plan.body.id))).toHaveLength(6);
  });
});

