import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalWorkflowLink } from '../../src/console/pages/timeline.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { releaseHold } from '../support/legal-holds.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.js';
import { consoleHarness } from './support/console-harness.js';

const TEMPORAL_UI = 'http://temporal-ui.example:8233';

const { harness, browser } = await consoleHarness({ apiDeps: { console: { temporalUiUrl: TEMPORAL_UI, temporalNamespace: 'default' } } });
const deleteTasks: string[] = [];
/** A delete task selecting this file's conversations only, deleting them seconds after they start. */
const scope = uniqueId('console-timeline');

beforeAll(async () => {
  const task = await harness.http('POST', '/v1/delete-tasks', { name: `Console timeline ${scope}`, selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 4 });
  expect(task.status).toBe(201);
  deleteTasks.push(task.body.id);
  const later = await harness.http('POST', '/v1/delete-tasks', { name: `Console forecast ${scope}`, selection: { attribute: { key: 'retentionScope', value: `${scope}-later` } }, retentionDays: 40 });
  expect(later.status).toBe(201);
  deleteTasks.push(later.body.id);
});

afterAll(async () => {
  for (const id of deleteTasks) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
});

async function capture(attributes: Record<string, string>): Promise<string> {
  const at = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: at, LastUpdateTimestamp: at, Attributes: attributes }));
  expect(posted.status).toBeLessThan(300);
  return posted.body.results[0].conversationId;
}

/** The steps of the timeline as shown: their step names and positions, in page order. */
async function shownSteps(page: Page): Promise<{ step: string; position: string; at: string }[]> {
  return page.locator('ol.timeline > li').evaluateAll((items) =>
    items.map((item) => ({
      step: item.querySelector('strong')?.textContent ?? '',
      position: item.querySelector('p.muted')?.textContent ?? '',
      at: item.querySelector('time')?.getAttribute('datetime') ?? '',
    })),
  );
}

async function readDownload(page: Page, linkName: string): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName, exact: true }).click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file!, 'utf8') };
}

describe('console lifecycle timeline and retention screen', () => {
  let held: string;
  let doomed: string;
  let alsoDoomed: string;
  const matter = uniqueId('matter');

  it('shows a held conversation with the hold as the deciding reason, its steps in order with positions, and its workflow link', async () => {
    held = await capture({ retentionScope: scope, matter });
    // A search hold, placed at once (the task would delete it seconds after its start).
    const hold = await harness.http('POST', '/v1/legal-holds', { reason: 'Matter M-7 litigation', reference: 'M-7', query: { 'attr.matter': matter } });
    expect(hold.status).toBe(201);
    expect(hold.body.held).toBe(1);

    const auditor = await harness.identityFor('auditor', { fullName: 'Arno Auditor', timeZone: 'Europe/Prague' });
    const { context, page } = await newPage(browser, 'Europe/Prague');
    await signIn(page, harness.baseUrl, auditor.token, `/console/conversations/${held}/timeline`);

    // The hold decides: it is the first reason listed, and retain-until says the hold ends it.
    const reasons = page.locator('ol.reasons > li');
    await expect.poll(() => reasons.first().getAttribute('data-code')).toBe('legal-hold');
    expect(await page.locator('dl.facts').textContent()).toContain('until every legal hold is released');
    expect(await page.locator('dl.facts').textContent()).toContain('Kept: under legal hold');
    expect(await page.getByRole('heading', { name: 'Active legal holds' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('Matter M-7 litigation');

    const steps = await shownSteps(page);
    const names = steps.map((step) => step.step);
    expect(names.indexOf('CONVERSATION_CAPTURED')).toBeGreaterThanOrEqual(0);
    expect(names.some((name) => name.startsWith('LEGAL_HOLD_ADD'))).toBe(true);
    expect(names.indexOf('CONVERSATION_CAPTURED')).toBeLessThan(names.findIndex((name) => name.startsWith('LEGAL_HOLD_ADD')));
    // Oldest first, each audit step with its chain position, rising along the chain.
    const times = steps.map((step) => step.at);
    expect(times).toEqual([...times].sort());
    const positions = steps.flatMap((step) => /audit chain #(\d+)/.exec(step.position)?.[1] ?? []).map(Number);
    expect(positions.length).toBeGreaterThan(1);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(steps.some((step) => /workflow run \w+, event \d+/.test(step.position))).toBe(true);

    const workflowLink = page.getByRole('link', { name: /in the Temporal UI/ });
    expect(await workflowLink.getAttribute('href')).toBe(`${TEMPORAL_UI}/namespaces/default/workflows/${encodeURIComponent(conversationWorkflowId(held))}`);
    // An engine that does not know where the Temporal UI is shows the workflow id without a link.
    expect(temporalWorkflowLink({ temporalUiUrl: undefined }, conversationWorkflowId(held))).toBeUndefined();

    // Only the audit chain, bookmarkable.
    await page.getByLabel('Show').selectOption('audit');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('source') === 'audit');
    expect((await shownSteps(page)).every((step) => step.position.includes('audit chain #'))).toBe(true);
    await context.close();
  });

  it('still shows the whole life of a deleted conversation, including its deletion; prints without navigation and exports', async () => {
    doomed = await capture({ retentionScope: scope });
    alsoDoomed = await capture({ retentionScope: scope });
    for (const id of [doomed, alsoDoomed]) {
      await eventually(async () => ((await harness.http('GET', `/v1/conversations/${id}/retention`)).body.status === 'deleted' ? true : undefined), 60_000);
    }

    const auditor = await harness.identityFor('auditor');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, auditor.token, `/console/conversations/${doomed}/timeline`);
    const facts = await page.locator('dl.facts').textContent();
    expect(facts).toContain('Deleted');
    expect(facts).toContain('no longer kept: deleted');
    const names = (await shownSteps(page)).map((step) => step.step);
    const captured = names.indexOf('CONVERSATION_CAPTURED');
    const deleted = names.findIndex((name) => name.startsWith('CONVERSATION_DELETED'));
    expect(captured).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeGreaterThan(captured);
    await screenshot(page, '05-timeline');
    await expectAccessible(page, 'timeline');

    // The paper copy: the timeline without navigation or forms.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.getByLabel('Show').isVisible()).toBe(false);
    expect(await page.locator('ol.timeline').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    const json = await readDownload(page, 'JSON');
    expect(json.name).toBe(`trace-${doomed}.json`);
    const trace = JSON.parse(json.text) as { conversationId: string; steps: { step: string }[]; retention: { status: string } };
    expect(trace.conversationId).toBe(doomed);
    expect(trace.retention.status).toBe('deleted');
    expect(trace.steps.some((step) => step.step.startsWith('CONVERSATION_DELETED'))).toBe(true);
    const text = await readDownload(page, 'Text');
    expect(text.name).toBe(`trace-${doomed}.txt`);
    expect(text.text).toContain(`Lifecycle trace of conversation ${doomed}`);
    expect(text.text).toContain('CONVERSATION_DELETED');
    await context.close();
  });

  it('shows the forecast, the task with its runs, the search hold with its scope and the disposal in the ledger', async () => {
    // A run of the seconds task: the held conversation is selected and kept for its hold.
    const run = await harness.http('POST', `/v1/delete-tasks/${deleteTasks[0]}/runs`);
    expect(run.status).toBe(202);
    await eventually(async () => {
      const runs = await harness.http('GET', `/v1/delete-tasks/${deleteTasks[0]}/runs`);
      return runs.body.items.find((item: { id: string; finishedAt: string | null }) => item.id === run.body.runId && item.finishedAt) ? true : undefined;
    });
    const fallingDue = await capture({ retentionScope: `${scope}-later` });
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${fallingDue}/retention`)).body.status === 'due' ? true : undefined));
    // A release requested but not yet approved: the hold stays, the request waits for a second person.
    const inquired = await capture({ matter: uniqueId('inquiry') });
    const singleHold = await harness.http('POST', `/v1/conversations/${inquired}/legal-holds`, { reason: 'Short inquiry Q-3' });
    const releaseRequest = await harness.http('POST', `/v1/conversations/${inquired}/legal-holds/${singleHold.body.holdId}/release`, { reason: 'Inquiry Q-3 closed' });
    expect(releaseRequest.status).toBe(202);
    const analyst = await harness.identityFor('compliance-analyst');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, analyst.token, '/console/retention');

    const forecast = page.getByRole('table', { name: /by the month they fall due/ });
    expect(await forecast.locator('tbody tr').count()).toBe(12);
    // The conversation captured now under the 40-day task falls due in the month 40 days ahead.
    const dueMonth = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.now() + 40 * 86_400_000));
    const dueRow = forecast.locator('tbody tr', { hasText: dueMonth });
    expect(Number(await dueRow.locator('td.num').textContent())).toBeGreaterThanOrEqual(1);
    await page.getByLabel('Months ahead').fill('3');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('months') === '3');
    expect(await forecast.locator('tbody tr').count()).toBe(3);
    expect(Number(await page.locator('dl.facts dd').nth(1).textContent())).toBeGreaterThanOrEqual(1);

    const task = page.getByRole('article', { name: `Console timeline ${scope}` });
    expect(await task.textContent()).toContain(`attribute: retentionScope = ${scope} 4 second(s) after the start`);
    const runRow = task.getByRole('table', { name: `Latest runs of Console timeline ${scope}` }).locator('tbody tr').first();
    expect(await runRow.textContent()).toContain('100%');
    expect(await runRow.textContent()).toContain('kept for: legal hold 1');
    expect(await runRow.getByRole('progressbar').getAttribute('value')).toBe('100');
    const keptForHold = page.getByRole('table', { name: /latest run of each delete task kept/ }).locator('tbody tr', { hasText: '(legal-hold)' });
    expect(Number(await keptForHold.locator('td.num').textContent())).toBeGreaterThanOrEqual(1);

    const holdRow = page.getByRole('table', { name: /Each search hold once/ }).locator('tbody tr', { hasText: 'Matter M-7 litigation' });
    expect(await holdRow.count()).toBe(1);
    expect(await holdRow.textContent()).toContain(matter);

    const waiting = page.getByRole('table', { name: /awaiting a second person's approval/ }).locator('tbody tr', { hasText: 'Inquiry Q-3 closed' });
    expect(await waiting.count()).toBe(1);
    expect(await waiting.textContent()).toContain(inquired);

    // The ledger, oldest first and paged: follow it to the day's newest disposals.
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel('Disposed from').fill(today);
    await page.getByRole('button', { name: 'Show disposals' }).click();
    await page.waitForURL((url) => url.searchParams.get('disposalsFrom') === today);
    const entry = page.getByRole('table', { name: /audit-chain entry/ }).locator('tbody tr', { hasText: doomed });
    for (let pages = 0; (await entry.count()) === 0 && pages < 50; pages++) {
      await Promise.all([page.waitForURL((url) => url.searchParams.has('disposalsAfter')), page.getByRole('link', { name: 'Next page' }).click()]);
    }
    expect(await entry.count()).toBe(1);
    expect(await entry.textContent()).toContain('deletion');
    // Keyset paging over the ledger, one entry a page, gives each of the day's disposals once, in order.
    const from = `${today}T00:00:00Z`;
    const whole = (await harness.http('GET', `/v1/disposals?from=${from}&limit=1000`)).body.items.map((item: { id: string }) => item.id);
    const paged: string[] = [];
    for (let after: string | null = null, turns = 0; turns <= whole.length; turns++) {
      const answer = await harness.http('GET', `/v1/disposals?from=${from}&limit=1${after ? `&after=${after}` : ''}`);
      paged.push(...answer.body.items.map((item: { id: string }) => item.id));
      after = answer.body.next;
      if (!after) break;
    }
    expect(paged).toEqual(whole);
    expect(whole.length).toBeGreaterThanOrEqual(2);
    expect(await entry.locator('td.num').textContent()).toMatch(/^\d+$/);
    await page.goto(`${harness.baseUrl}/console/retention?disposalsFrom=${today}`);
    await screenshot(page, '06-retention');
    await expectAccessible(page, 'retention');
    await context.close();
  });

  it('answers an unknown conversation with a readable 404', async () => {
    const auditor = await harness.identityFor('auditor');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, auditor.token);
    const response = await page.goto(`${harness.baseUrl}/console/conversations/00000000-0000-4000-8000-000000000000/timeline`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('alert').textContent()).toContain('Conversation not found');
    await context.close();
  });

  it('refuses both screens to an agent with a readable 403', async () => {
    const agent = await harness.identityFor('agent');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, agent.token);
    for (const path of [`/console/conversations/${held}/timeline`, '/console/retention']) {
      const response = await page.goto(`${harness.baseUrl}${path}`);
      expect(response?.status()).toBe(403);
      expect(await page.getByRole('alert').textContent()).toContain('do not include this page');
    }
    await context.close();
  });
});

describe('GET /v1/legal-holds (the hold groups the retention screen lists)', () => {
  it('lists each search hold once with its search, single holds alone, released ones on request, paged by keyset', async () => {
    const matter = uniqueId('groups');
    const first = await capture({ matter });
    await capture({ matter });
    const single = await capture({ matter: `${matter}-single` });
    const kept = await harness.http('POST', '/v1/legal-holds', { reason: 'kept group', reference: null, query: { 'attr.matter': matter } });
    const released = await harness.http('POST', '/v1/legal-holds', { reason: 'released group', reference: null, query: { 'attr.matter': matter } });
    expect([kept.body.held, released.body.held]).toEqual([2, 2]);
    expect((await harness.http('POST', `/v1/conversations/${single}/legal-holds`, { reason: 'single hold' })).status).toBe(201);
    const approved = await releaseHold(harness, `/v1/legal-holds/${released.body.holdGroupId}/release`, 'matter closed');
    expect(approved.body).toMatchObject({ status: 'approved', released: 2 });

    type Group = { holdGroupId: string; kind: string; reason: string; scope: { query: Record<string, unknown> } | null; conversationId: string | null; active: number; released: number };
    const mine = (items: Group[]) => items.filter((item) => [kept.body.holdGroupId, released.body.holdGroupId].includes(item.holdGroupId) || item.conversationId === single);
    const active = mine((await harness.http('GET', '/v1/legal-holds?limit=500')).body.items);
    expect(active.map((group) => [group.reason, group.kind, group.active, group.released])).toEqual([
      ['single hold', 'conversation', 1, 0],
      ['kept group', 'search', 2, 0],
    ]);
    expect(active[1]!.scope!.query).toMatchObject({ attributes: { matter } });
    expect(active[0]!.conversationId).toBe(single);

    const all = (await harness.http('GET', '/v1/legal-holds?status=all&limit=500')).body.items as Group[];
    expect(mine(all).map((group) => [group.reason, group.active, group.released])).toEqual([
      ['single hold', 1, 0],
      ['released group', 0, 2],
      ['kept group', 2, 0],
    ]);
    const paged: string[] = [];
    for (let cursor: string | null = null, turns = 0; turns <= all.length; turns++) {
      const answer = await harness.http('GET', `/v1/legal-holds?status=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      paged.push(...answer.body.items.map((group: Group) => group.holdGroupId));
      cursor = answer.body.next;
      if (!cursor) break;
    }
    expect(paged).toEqual(all.map((group) => group.holdGroupId));

    const refused = await harness.http('GET', '/v1/legal-holds?cursor=not-a-cursor');
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe('cursor');
    expect((await harness.http('GET', `/v1/conversations/${first}/retention`)).body.status).toBe('held');
  });
});
