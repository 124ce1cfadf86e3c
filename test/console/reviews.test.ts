import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
// Before the review and training fixtures: it loads the API, whose zod-openapi extension must precede the domain schemas they load.
import { consoleHarness } from './support/console-harness.js';
import type { Identity } from '../support/identities.js';
import { captureConversation, createReview, insertQuestionnaire, NEEDS_COACHING_ANSWERS, revealedReview, type TestQuestionnaire } from '../support/reviews.js';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.js';

const { harness, browser } = await consoleHarness();

interface People {
  manager: Identity;
  evaluator: Identity;
  otherEvaluator: Identity;
  agent: Identity;
  otherAgent: Identity;
}

/** A questionnaire (SAMPLE_DEFINITION), two evaluators and two agents, all new to this test. */
async function scenario(): Promise<People & { questionnaire: TestQuestionnaire }> {
  const suffix = randomUUID().slice(0, 8);
  const people: People = {
    manager: await harness.identityFor('cc-manager', { fullName: `Mona Manager ${suffix}` }),
    evaluator: await harness.identityFor('evaluator', { fullName: `Eve Evaluator ${suffix}`, timeZone: 'Europe/Berlin' }),
    otherEvaluator: await harness.identityFor('evaluator', { fullName: `Otto Evaluator ${suffix}` }),
    agent: await harness.identityFor('agent', { username: `agent-${suffix}`, fullName: `Anna Agent ${suffix}` }),
    otherAgent: await harness.identityFor('agent', { username: `other-agent-${suffix}` }),
  };
  const questionnaire = await insertQuestionnaire(harness.db, { name: `MiFID call review ${suffix}` });
  return { ...people, questionnaire };
}

const reviewLink = (page: Page, reviewId: string) => page.locator(`tbody a[href="/console/reviews/${reviewId}"]`);
const liveScore = (page: Page) => page.locator('#live-score .score-line');
const question = (page: Page, text: string) => page.getByRole('group', { name: text, exact: true });

describe('console reviews', () => {
  it('lets an evaluator work through their queue: start, answer with a live server-side score, save, complete; the agent disputes or acknowledges after reveal', async () => {
    const s = await scenario();
    const mine = await createReview(harness, s.manager, {
      conversationId: await captureConversation(harness, s.agent.username),
      questionnaireId: s.questionnaire.id,
      evaluatorId: s.evaluator.userId,
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const someoneElses = await createReview(harness, s.manager, {
      conversationId: await captureConversation(harness, s.otherAgent.username),
      questionnaireId: s.questionnaire.id,
      evaluatorId: s.otherEvaluator.userId,
    });
    // Already revealed: one of the agent's own (to acknowledge) and one of another agent's (never shown to them).
    const toAcknowledge = await revealedReview(harness, { manager: s.manager, evaluator: s.otherEvaluator, agent: s.agent }, { questionnaireId: s.questionnaire.id });
    const notTheAgents = await revealedReview(harness, { manager: s.manager, evaluator: s.otherEvaluator, agent: s.otherAgent }, { questionnaireId: s.questionnaire.id });

    // The evaluator's queue: only what is assigned to them.
    const evaluator = await newPage(browser, 'Europe/Berlin');
    evaluator.page.on('dialog', (dialog) => void dialog.accept());
    await signIn(evaluator.page, harness.baseUrl, s.evaluator.token, '/console/reviews');
    const page = evaluator.page;
    await expect.poll(() => reviewLink(page, mine.id).count()).toBe(1);
    expect(await reviewLink(page, someoneElses.id).count()).toBe(0);
    expect(await reviewLink(page, toAcknowledge.id).count()).toBe(0);
    await page.getByLabel('Status').selectOption('waiting');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'waiting');
    expect(await reviewLink(page, mine.id).count()).toBe(1);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, '07-review-queue');
    await expectAccessible(page, 'review queue');

    await reviewLink(page, mine.id).click();
    await page.waitForURL((url) => url.pathname === `/console/reviews/${mine.id}`);
    expect(await page.getByRole('link', { name: mine.conversation.id }).getAttribute('href')).toBe(`/console/conversations/${mine.conversation.id}`);
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'started');

    // Each answer is scored again on the server (htmx posts the form); the expected figures follow SAMPLE_DEFINITION.
    await expect.poll(() => liveScore(page).textContent()).toContain('none yet');
    await question(page, 'Disclosed the recording?').getByLabel('Yes').check();
    await expect.poll(() => liveScore(page).textContent()).toContain('Score while answering: 100 %');
    await question(page, 'Checked suitability?').getByLabel('Partially').check();
    await expect.poll(() => liveScore(page).textContent()).toContain('Score while answering: 75 % · tier meets');
    await question(page, 'Explained costs of the product?').getByLabel('Not applicable').check();
    await question(page, 'Tone').getByLabel('3').check();
    await expect.poll(() => liveScore(page).textContent()).toContain('Score while answering: 65 % · tier needs coaching (needs training)');
    await question(page, 'Disclosed the recording?').getByLabel('No').check();
    await expect.poll(() => liveScore(page).textContent()).toContain('Score while answering: 0 %');
    await expect.poll(() => liveScore(page).textContent()).toContain('failed by a critical question');
    await question(page, 'Disclosed the recording?').getByLabel('Yes').check();
    await expect.poll(() => liveScore(page).textContent()).toContain('65 %');
    await question(page, 'Tone').getByLabel('Comment').fill('Friendly but rushed');
    await screenshot(page, '08-review-form');
    await expectAccessible(page, 'review form');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'saved');
    expect(await question(page, 'Checked suitability?').getByLabel('Partially').isChecked()).toBe(true);
    expect(await question(page, 'Explained costs of the product?').getByLabel('Not applicable').isChecked()).toBe(true);
    expect(await question(page, 'Tone').getByLabel('Comment').inputValue()).toBe('Friendly but rushed');
    const draft = await harness.as(s.evaluator.token).http('GET', `/v1/reviews/${mine.id}`);
    expect(draft.body).toMatchObject({ status: 'in-progress', answers: { ...NEEDS_COACHING_ANSWERS, q4: { value: 3, comment: 'Friendly but rushed' } } });

    await page.getByRole('button', { name: 'Complete review' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'completed');
    expect(await page.locator('.server-score').textContent()).toContain('Server score: 65 % · tier needs coaching');
    const completed = await harness.as(s.evaluator.token).http('GET', `/v1/reviews/${mine.id}`);
    expect(completed.body).toMatchObject({ status: 'completed', scorePercent: 65, tier: { name: 'needs coaching' } });
    expect(await page.getByRole('button', { name: 'Complete review' }).count()).toBe(0);
    expect(await page.locator('ol.timeline').textContent()).toContain('completed');

    await page.getByRole('button', { name: 'Reveal to the agent' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'revealed');
    await evaluator.context.close();

    // The agent sees only their own revealed reviews, disputes one and acknowledges the other.
    const agent = await newPage(browser);
    agent.page.on('dialog', (dialog) => void dialog.accept());
    await signIn(agent.page, harness.baseUrl, s.agent.token, '/console/reviews');
    const agentPage = agent.page;
    await expect.poll(() => reviewLink(agentPage, mine.id).count()).toBe(1);
    expect(await reviewLink(agentPage, toAcknowledge.id).count()).toBe(1);
    expect(await reviewLink(agentPage, notTheAgents.id).count()).toBe(0);
    expect(await reviewLink(agentPage, someoneElses.id).count()).toBe(0);
    const listed = await harness.as(s.agent.token).http('GET', '/v1/reviews?limit=500');
    expect(await agentPage.locator('tbody tr').count()).toBe(listed.body.items.length);

    await reviewLink(agentPage, mine.id).click();
    await agentPage.waitForURL((url) => url.pathname === `/console/reviews/${mine.id}`);
    expect(await agentPage.locator('.server-score').textContent()).toContain('Server score: 65 %');
    // Agents may not read questionnaires; the review itself names the questions asked.
    expect(await agentPage.getByRole('row', { name: /Checked suitability\?/ }).textContent()).toContain('partial');
    const asAgent = await harness.as(s.agent.token).http('GET', `/v1/reviews/${mine.id}`);
    expect(asAgent.body.questions).toContainEqual({ id: 'q2', sectionId: 'compliance', section: 'Compliance', text: 'Checked suitability?' });
    await agentPage.getByLabel('Reason for the dispute').fill('Suitability was checked in full at minute 3');
    await agentPage.getByRole('button', { name: 'Dispute' }).click();
    await agentPage.waitForURL((url) => url.searchParams.get('done') === 'disputed');
    expect(await agentPage.getByRole('status').textContent()).toContain('Your dispute was sent');
    const disputes = agentPage.locator('section', { has: agentPage.getByRole('heading', { name: 'Disputes' }) });
    expect(await disputes.textContent()).toContain('Suitability was checked in full at minute 3');
    expect(await agentPage.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await screenshot(agentPage, '08-review-agent-dispute');
    await expectAccessible(agentPage, 'agent review');

    // A post without the form's CSRF token changes nothing.
    const forged = await agentPage.request.post(`${harness.baseUrl}/console/reviews/${toAcknowledge.id}/acknowledgement`, { form: { comment: 'forged' } });
    expect(forged.status()).toBe(403);
    expect((await harness.as(s.agent.token).http('GET', `/v1/reviews/${toAcknowledge.id}`)).body.acknowledgedAt).toBeNull();

    await agentPage.goto(`${harness.baseUrl}/console/reviews/${toAcknowledge.id}`);
    await agentPage.getByRole('button', { name: 'Acknowledge' }).click();
    await agentPage.waitForURL((url) => url.searchParams.get('done') === 'acknowledged');
    expect((await harness.as(s.agent.token).http('GET', `/v1/reviews/${toAcknowledge.id}`)).body.acknowledgedAt).not.toBeNull();

    // Another agent's review is the API's 404, shown as a readable page.
    const hidden = await agentPage.goto(`${harness.baseUrl}/console/reviews/${notTheAgents.id}`);
    expect(hidden?.status()).toBe(404);
    expect(await agentPage.getByRole('alert').count()).toBe(1);
    await agent.context.close();

    // The quality manager decides the dispute: rejected, the score stays and is frozen.
    const manager = await newPage(browser);
    manager.page.on('dialog', (dialog) => void dialog.accept());
    await signIn(manager.page, harness.baseUrl, s.manager.token, `/console/reviews/${mine.id}`);
    await manager.page.getByLabel('Decision on the dispute').selectOption('rejected');
    await manager.page.getByLabel('Comment').fill('Not on the recording');
    await manager.page.getByRole('button', { name: 'Decide' }).click();
    await manager.page.waitForURL((url) => url.searchParams.get('done') === 'resolved');
    expect(await manager.page.locator('.server-score').textContent()).toContain('frozen after a rejected dispute');
    const resolved = await harness.as(s.manager.token).http('GET', `/v1/reviews/${mine.id}`);
    expect(resolved.body.disputes[0]).toMatchObject({ resolution: 'rejected', resolutionComment: 'Not on the recording' });
    await manager.context.close();
  });

  it('shows the API’s refusal when completing with an unanswered required question, keeping the answers on screen', async () => {
    const s = await scenario();
    const review = await createReview(harness, s.manager, {
      conversationId: await captureConversation(harness, s.agent.username),
      questionnaireId: s.questionnaire.id,
      evaluatorId: s.evaluator.userId,
    });
    const { context, page } = await newPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, harness.baseUrl, s.evaluator.token, `/console/reviews/${review.id}`);
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'started');
    await question(page, 'Disclosed the recording?').getByLabel('Yes').check();
    await expect.poll(() => page.locator('#live-score').textContent()).toContain('question q2 is required and not answered');
    await page.getByRole('button', { name: 'Complete review' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('q2');
    expect(await question(page, 'Disclosed the recording?').getByLabel('Yes').isChecked()).toBe(true);
    expect((await harness.as(s.evaluator.token).http('GET', `/v1/reviews/${review.id}`)).body.status).toBe('in-progress');
    await context.close();
  });

  it('shows a calibration’s result to the quality manager: each evaluator’s score and the spread; an evaluator may not open it', async () => {
    const s = await scenario();
    const conversationId = await captureConversation(harness, s.agent.username);
    const sent = await harness.as(s.manager.token).http('POST', '/v1/calibrations', {
      conversationId,
      questionnaireId: s.questionnaire.id,
      evaluatorIds: [s.evaluator.userId, s.otherEvaluator.userId],
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const takes: [Identity, Record<string, unknown>][] = [
      [s.evaluator, NEEDS_COACHING_ANSWERS],
      [s.otherEvaluator, { q1: { value: 'yes' }, q2: { value: 'yes' }, q3: { value: 'yes' }, q4: { value: 5 } }],
    ];
    for (const [evaluator, answers] of takes) {
      const reviewId = (sent.body.reviews as { reviewId: string; evaluatorId: string }[]).find((review) => review.evaluatorId === evaluator.userId)!.reviewId;
      const done = await harness.as(evaluator.token).http('POST', `/v1/reviews/${reviewId}/complete`, { answers });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    }

    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, s.manager.token, `/console/reviews/calibrations/${sent.body.calibrationId}`);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('2 of 2 evaluators');
    // 65 % and 100 %: mean 82.5, each 17.5 points from it, range 35.
    expect(facts).toContain('82.5 %');
    expect(facts).toContain('17.5 percentage points');
    expect(facts).toContain('35 percentage points');
    expect(await page.getByRole('row', { name: /Checked suitability\?/ }).textContent()).toContain('50 %');
    await screenshot(page, '08-review-calibration');
    await expectAccessible(page, 'calibration result');
    await context.close();

    const evaluator = await newPage(browser);
    await signIn(evaluator.page, harness.baseUrl, s.evaluator.token);
    const refused = await evaluator.page.goto(`${harness.baseUrl}/console/reviews/calibrations/${sent.body.calibrationId}`);
    expect(refused?.status()).toBe(403);
    const refusals = await harness.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.actorId, s.evaluator.userId), eq(auditLog.activity, 'EVALUATION_REPORT'), eq(auditLog.result, 'UNAUTHORIZED')));
    expect(refusals).toHaveLength(1);
    await evaluator.context.close();
  });
});
