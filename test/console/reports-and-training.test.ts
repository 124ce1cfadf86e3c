import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { auditLog, trainingAttempts } from '../../src/db/schema/index.js';
// Before the review and training fixtures: it loads the API, whose zod-openapi extension must precede the domain schemas they load.
import { consoleHarness } from './support/console-harness.js';
import { captureConversations, insertQuestionnaire, insertReview } from '../support/reviews.js';
import { assignCoaching, createActivePack, samplePackDefinition, uploadMaterial } from '../support/training.js';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.js';

const { harness, browser } = await consoleHarness();

/** The cells of a table's body, row by row, as the page shows them. */
async function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page.locator(`${selector} tbody tr`).evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell.textContent ?? '').trim())));
}

async function entriesOf(userId: string, activity: string) {
  return harness.db.select().from(auditLog).where(and(eq(auditLog.actorId, userId), eq(auditLog.activity, activity)));
}

describe('console reports', () => {
  it('shows a compliance analyst the score trend per agent and group and the tier distribution, as charts and tables of the same numbers', async () => {
    const analyst = await harness.identityFor('compliance-analyst');
    const group = `reports-${randomUUID().slice(0, 8)}`;
    const [anna, bert] = [`anna-${randomUUID().slice(0, 6)}`, `bert-${randomUUID().slice(0, 6)}`];
    const questionnaire = await insertQuestionnaire(harness.db);
    const made = [
      { agent: anna, percent: 80, tier: 'meets', at: '2026-09-10T10:00:00Z' },
      { agent: anna, percent: 60, tier: 'needs coaching', at: '2026-10-05T10:00:00Z' },
      { agent: anna, percent: 95, tier: 'exceeds', at: '2026-10-20T10:00:00Z' },
      { agent: bert, percent: 40, tier: 'fail', at: '2026-09-15T10:00:00Z' },
      { agent: bert, percent: 70, tier: 'needs coaching', at: '2026-10-12T10:00:00Z' },
    ];
    const conversations = await captureConversations(harness, made.map((review) => review.agent));
    for (const [index, review] of made.entries()) {
      await insertReview(harness.db, {
        questionnaireId: questionnaire.id,
        conversationId: conversations[index]!,
        agentUsername: review.agent,
        agentGroups: [group],
        percent: review.percent,
        tierName: review.tier,
        needsTraining: review.percent < 75,
        failed: review.percent < 50,
        completedAt: new Date(review.at),
      });
    }
    // Training given in the range: the report's training table counts it.
    const trainee = await harness.identityFor('agent');
    const pack = await createActivePack(harness, analyst);
    await assignCoaching(harness, analyst, { packId: pack.id, userIds: [trainee.userId] });

    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, analyst.token);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL((url) => url.pathname === '/console/reports');
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('From (day)').fill('2026-09-01');
    await page.getByLabel('To (day, included)').fill(today);
    await page.getByLabel('Trend per', { exact: true }).selectOption('month');
    await page.getByLabel('Agent group').fill(group);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('agentGroup') === group);
    expect(new URL(page.url()).searchParams.get('from')).toBe('2026-09-01');

    expect(await page.getByText('5 reviews in this range.').count()).toBe(1);
    // Per agent: September and October, each point the month's average (sample size in brackets).
    expect(await tableRows(page, '#agent-trend-table')).toEqual([
      [anna, '80 % (1)', '77.5 % (2)'],
      [bert, '40 % (1)', '70 % (1)'],
    ]);
    expect(await page.locator('#agent-trend-table thead th').allTextContents()).toEqual(['Agent', '2026-09', '2026-10']);
    expect(await page.locator('#agent-trend-chart circle.point').count()).toBe(4);
    expect(await page.locator('#agent-trend-chart g.series').count()).toBe(2);
    expect(await page.locator('#agent-trend-chart > title').textContent()).toBe('Score trend per agent');
    expect(await page.locator(`#agent-trend-chart g.series[data-series="${anna}"] circle title`).allTextContents()).toEqual([
      `${anna}, 2026-09: 80 % (1 review)`,
      `${anna}, 2026-10: 77.5 % (2 reviews)`,
    ]);

    expect(await tableRows(page, '#group-trend-table')).toEqual([[group, '60 % (2)', '75 % (3)']]);
    expect(await page.locator('#group-trend-chart circle.point').count()).toBe(2);

    expect(await tableRows(page, '#tier-table')).toEqual([
      ['exceeds', '1'],
      ['fail', '1'],
      ['meets', '1'],
      ['needs coaching', '2'],
    ]);
    expect(await page.locator('#tier-chart rect.bar').count()).toBe(4);
    expect(await page.locator('#tier-chart rect.bar title').allTextContents()).toContain('needs coaching: 2 reviews');

    expect(await tableRows(page, '#agent-totals')).toEqual([
      [anna, '3', '78.33 %', '60 %', '95 %', '0', '1', '0 (0 %)'],
      [bert, '2', '55 %', '40 %', '70 %', '1', '2', '0 (0 %)'],
    ]);
    const trainingRow = (await tableRows(page, '#training-agents')).find((row) => row[0] === trainee.username);
    expect(trainingRow).toEqual([trainee.username, '1', '1', '0', '0', '0', '0', '0']);

    await screenshot(page, '09-reports');
    await expectAccessible(page, 'reports');

    // The export is the API's CSV of the same filters (audited EVALUATION_REPORT there).
    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'per agent' }).click()]).then(([file]) => file);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain(anna);
    expect(csv).toContain(bert);
    expect(csv.trim().split('\n')).toHaveLength(3);
    const reports = await entriesOf(analyst.userId, 'EVALUATION_REPORT');
    expect(reports.some((entry) => entry.description.includes('exported as CSV') && entry.result === 'OK')).toBe(true);
    await context.close();
  });

  it('shows a supervisor only the agents and groups they supervise, as the API scopes the report', async () => {
    const [theirs, others] = [`team-${randomUUID().slice(0, 8)}`, `team-${randomUUID().slice(0, 8)}`];
    const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [theirs] });
    const theirAgent = await harness.identityFor('agent', { groupNames: [theirs] });
    const otherAgent = await harness.identityFor('agent', { groupNames: [others] });
    const questionnaire = await insertQuestionnaire(harness.db);
    const conversations = await captureConversations(harness, [theirAgent.username, otherAgent.username]);
    for (const [index, agent] of [theirAgent, otherAgent].entries()) {
      await insertReview(harness.db, {
        questionnaireId: questionnaire.id,
        conversationId: conversations[index]!,
        agentUsername: agent.username,
        agentGroups: [index === 0 ? theirs : others],
        percent: 90,
        tierName: 'exceeds',
        completedAt: new Date('2026-08-12T10:00:00Z'),
      });
    }
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, supervisor.token, '/console/reports?from=2026-08-01&to=2026-08-31');
    expect(await tableRows(page, '#agent-totals')).toEqual([[theirAgent.username, '1', '90 %', '90 %', '90 %', '0', '0', '0 (0 %)']]);
    expect(await tableRows(page, '#agent-trend-table')).toEqual([[theirAgent.username, '90 % (1)']]);
    expect(await tableRows(page, '#group-trend-table')).toEqual([[theirs, '90 % (1)']]);
    expect(await page.getByText(otherAgent.username).count()).toBe(0);
    await context.close();
  });

  it('names the field of a bad filter', async () => {
    const auditor = await harness.identityFor('auditor');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, auditor.token);
    const response = await page.goto(`${harness.baseUrl}/console/reports?from=2026-10-01&to=2026-09-01`);
    expect(response?.status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toContain('to: must not lie before from');
    await context.close();
  });

  it('offers an agent no reports link and answers the page with a readable 403, audited UNAUTHORIZED', async () => {
    const agent = await harness.identityFor('agent');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, agent.token);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).count()).toBe(0);
    const response = await page.goto(`${harness.baseUrl}/console/reports`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('do not include this page, Reports');
    const refusals = await entriesOf(agent.userId, 'EVALUATION_REPORT');
    expect(refusals.filter((entry) => entry.phase !== 'BEGIN').map((entry) => entry.result)).toEqual(['UNAUTHORIZED']);
    await context.close();
  });
});

describe('console training', () => {
  it('lets an agent study the material and take the quiz assigned to them: a fail, then a pass, with the result and history', async () => {
    const manager = await harness.identityFor('compliance-analyst');
    const agent = await harness.identityFor('agent', { fullName: 'Tara Trainee' });
    const otherAgent = await harness.identityFor('agent');
    const slides = await uploadMaterial(harness, manager, `slides ${randomUUID()}`, 'disclosure-slides.pdf');
    const pack = await createActivePack(harness, manager, { definition: samplePackDefinition({ presentation: [slides] }) });
    const [assignment] = (await assignCoaching(harness, manager, { packId: pack.id, userIds: [agent.userId] })).assigned;
    const [othersAssignment] = (await assignCoaching(harness, manager, { packId: pack.id, userIds: [otherAgent.userId] })).assigned;

    const { context, page } = await newPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await signIn(page, harness.baseUrl, agent.token);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Training' }).click();
    await page.waitForURL((url) => url.pathname === '/console/training');
    // Only their own: the other agent's assignment of the same pack is not listed, nor can it be opened.
    const links = page.locator('#assignments tbody a');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe(`/console/training/${assignment.id}`);
    expect(await tableRows(page, '#assignments').then((rows) => rows[0]?.[1])).toBe('open');
    await expectAccessible(page, 'training list');
    const foreign = await page.goto(`${harness.baseUrl}/console/training/${othersAssignment.id}`);
    expect(foreign?.status()).toBe(404);
    await page.goto(`${harness.baseUrl}/console/training`);

    await links.first().click();
    await page.waitForURL((url) => url.pathname === `/console/training/${assignment.id}`);
    expect(await page.getByText('Listen to the reference call, read the slides').count()).toBe(1);
    const material = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'disclosure-slides.pdf' }).click()]).then(([file]) => file);
    expect(fs.readFileSync((await material.path())!, 'utf8')).toMatch(/^slides /);

    // First attempt: one of three right (33 %), below the pass mark of 60 %.
    await page.getByRole('radio', { name: 'At the start' }).check();
    await page.getByRole('checkbox', { name: 'Entry costs' }).check();
    await page.getByRole('radio', { name: 'The weather' }).check();
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.waitForURL((url) => url.searchParams.get('attempt') === '1');
    const firstResult = await page.getByRole('alert').textContent();
    expect(firstResult).toMatch(/^Attempt 1: 33(\.33)? % — not passed \(pass mark 60 %\)\. 1 attempt left\.$/);
    expect(await page.getByRole('checkbox', { name: 'Entry costs' }).isChecked()).toBe(false);
    await screenshot(page, '10-training-quiz');
    await expectAccessible(page, 'training quiz');

    // Second attempt: all right.
    await page.getByRole('radio', { name: 'At the start' }).check();
    await page.getByRole('checkbox', { name: 'Entry costs' }).check();
    await page.getByRole('checkbox', { name: 'Running costs' }).check();
    await page.getByRole('radio', { name: 'Suitability' }).check();
    await page.getByRole('button', { name: 'Submit answers' }).click();
    await page.waitForURL((url) => url.searchParams.get('attempt') === '2');
    expect(await page.getByRole('status').filter({ hasText: 'Attempt 2' }).textContent()).toBe('Attempt 2: 100 % — passed. The training is complete.');
    expect(await page.getByRole('button', { name: 'Submit answers' }).count()).toBe(0);
    expect(await page.getByText('You passed this quiz.').count()).toBe(1);
    const attempts = await tableRows(page, '#attempts');
    expect(attempts.map((row) => [row[0], row[2], row[3]])).toEqual([
      ['1', firstResult!.match(/Attempt 1: (\S+ %)/)![1], 'not passed'],
      ['2', '100 %', 'passed'],
    ]);
    expect(await page.locator('#history li').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, '10-training-quiz-passed');

    await page.goto(`${harness.baseUrl}/console/training?status=passed`);
    expect(await tableRows(page, '#assignments').then((rows) => rows.map((row) => row[1]))).toEqual(['passed']);
    await context.close();
  });

  it('refuses a quiz post without the CSRF token, recording no attempt', async () => {
    const manager = await harness.identityFor('compliance-analyst');
    const agent = await harness.identityFor('agent');
    const pack = await createActivePack(harness, manager);
    const [assignment] = (await assignCoaching(harness, manager, { packId: pack.id, userIds: [agent.userId] })).assigned;
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, agent.token);
    const forged = await page.request.post(`${harness.baseUrl}/console/training/${assignment.id}/attempts`, { form: { 'answer:disclose': 'start' } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('Nothing was changed');
    expect(await harness.db.select().from(trainingAttempts).where(eq(trainingAttempts.assignmentId, assignment.id))).toEqual([]);
    expect((await entriesOf(agent.userId, 'TRAINING_QUIZ_SUBMIT')).map((entry) => entry.result)).toEqual(['UNAUTHORIZED']);
    await context.close();
  });
});
