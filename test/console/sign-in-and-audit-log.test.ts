import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, consoleSessions } from '../../src/db/schema/index.js';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.js';
import { consoleHarness } from './support/console-harness.js';

const { harness, browser } = await consoleHarness();

async function entriesOf(userId: string, activity: string) {
  return harness.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.actorId, userId), eq(auditLog.activity, activity)))
    .orderBy(auditLog.chainSeq);
}

describe('console sign-in and the audit log', () => {
  it('sends a visitor without a session to sign in, and back to the page after signing in with an API token', async () => {
    const analyst = await harness.identityFor('compliance-analyst', { timeZone: 'Europe/Prague', fullName: 'Clara Analyst' });
    const { context, page } = await newPage(browser, 'Europe/Prague');
    await page.goto(`${harness.baseUrl}/console/audit?activity=LOGIN`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await screenshot(page, '01-sign-in');
    await expectAccessible(page, 'sign-in');

    await page.getByLabel('API token').fill(analyst.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/console/audit');
    expect(new URL(page.url()).searchParams.get('activity')).toBe('LOGIN');

    const [cookie] = (await context.cookies()).filter((candidate) => candidate.name === 'rk_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
    const logins = await entriesOf(analyst.userId, 'LOGIN');
    expect(logins).toHaveLength(1);
    expect(logins[0]!.result).toBe('OK');
    expect(logins[0]!.description).toContain('signed in to the console');

    // Their own LOGIN, in their time zone with UTC on hover, the user's details on hover.
    const row = page.locator('tbody tr', { hasText: 'signed in to the console' }).filter({ hasText: 'Clara Analyst' });
    await expect.poll(() => row.count()).toBe(1);
    const time = row.locator('time');
    expect(await time.getAttribute('datetime')).toBe(logins[0]!.occurredAt.toISOString());
    expect(await time.getAttribute('title')).toBe(`UTC ${logins[0]!.occurredAt.toISOString()}`);
    const prague = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Prague', dateStyle: 'medium', timeStyle: 'medium' }).format(logins[0]!.occurredAt);
    expect(await time.textContent()).toBe(prague);
    expect(await row.locator('.user').getAttribute('title')).toContain(`username ${analyst.username}`);
    await screenshot(page, '02-audit-log');
    await expectAccessible(page, 'audit log');
    await context.close();
  });

  it('filters by activity, user and result, resets one filter or all, and exports what is shown (audited)', async () => {
    const auditor = await harness.identityFor('auditor', { fullName: 'Arno Auditor' });
    const refusedAgent = await harness.identityFor('agent');
    // An UNAUTHORIZED entry to find: the agent calls the audit log through the API.
    expect((await harness.as(refusedAgent.token).http('GET', '/v1/audit')).status).toBe(403);

    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, auditor.token, '/console/audit');
    await page.getByLabel('Activity').selectOption('AUDIT_SEARCH');
    await page.getByLabel('User').fill(refusedAgent.username);
    await page.getByLabel('Result').selectOption('UNAUTHORIZED');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForURL((url) => url.searchParams.get('result') === 'UNAUTHORIZED');
    const url = new URL(page.url());
    expect(url.searchParams.get('activity')).toBe('AUDIT_SEARCH');
    expect(url.searchParams.get('user')).toBe(refusedAgent.username);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('UNAUTHORIZED');

    // The same view, bookmarked: a fresh page with the URL shows the same row.
    await page.goto(url.toString());
    expect(await page.locator('tbody tr').count()).toBe(1);

    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]).then(([file]) => file);
    const csv = await download.path().then((file) => import('node:fs').then((fs) => fs.readFileSync(file!, 'utf8')));
    expect(csv.split('\n')[0]).toContain('activity');
    expect(csv).toContain(refusedAgent.username);
    expect(csv.trim().split('\n')).toHaveLength(2);
    await expect.poll(async () => (await entriesOf(auditor.userId, 'AUDIT_EXPORT')).length).toBeGreaterThan(0);

    await page.getByRole('link', { name: 'Reset result' }).click();
    await page.waitForURL((next) => !next.searchParams.has('result'));
    expect(new URL(page.url()).searchParams.get('user')).toBe(refusedAgent.username);
    await page.getByRole('link', { name: 'Reset all' }).click();
    await page.waitForURL((next) => next.search === '');
    expect(await page.getByLabel('User').inputValue()).toBe('');
    await context.close();
  });

  it('verifies the chain since the last checkpoint on request', async () => {
    const analyst = await harness.identityFor('compliance-analyst');
    expect((await harness.as(analyst.token).http('POST', '/v1/audit/checkpoints')).status).toBe(201);
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, analyst.token, '/console/audit');
    await expect.poll(() => page.getByText(/Last checkpoint at position \d+/).count()).toBe(1);
    await page.getByRole('button', { name: 'Verify since the last checkpoint' }).click();
    await page.waitForURL((url) => url.searchParams.get('verify') === '1');
    expect(await page.getByRole('status').filter({ hasText: 'Chain verified' }).count()).toBe(1);
    await context.close();
  });

  it('answers a page outside the role with a readable 403, audited UNAUTHORIZED', async () => {
    const agent = await harness.identityFor('agent');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, agent.token);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const response = await page.goto(`${harness.baseUrl}/console/audit`);
    expect(response?.status()).toBe(403);
    expect(await page.getByRole('alert').textContent()).toContain('do not include this page');
    expect(await page.content()).not.toMatch(/at .*\.ts:\d+/);
    const refusals = await entriesOf(agent.userId, 'AUDIT_SEARCH');
    expect(refusals.filter((entry) => entry.phase !== 'BEGIN').map((entry) => entry.result)).toEqual(['UNAUTHORIZED']);
    await context.close();
  });

  it('refuses a form post without the CSRF token and keeps the session; signing out ends it (LOGOUT)', async () => {
    const manager = await harness.identityFor('cc-manager');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, manager.token);
    // A forged post: the session cookie is sent, the form's token is not.
    const forged = await page.request.post(`${harness.baseUrl}/console/sign-out`, { form: { note: 'no token' } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('Nothing was changed');
    const [session] = await harness.db.select().from(consoleSessions).where(eq(consoleSessions.userId, manager.userId));
    expect(session!.endedAt).toBeNull();
    expect((await entriesOf(manager.userId, 'LOGOUT')).map((entry) => entry.result)).toEqual(['UNAUTHORIZED']);

    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'rk_console')!;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/console/sign-in');
    const logouts = await entriesOf(manager.userId, 'LOGOUT');
    expect(logouts.map((entry) => [entry.result, (entry.details as { reason?: string }).reason])).toEqual([
      ['UNAUTHORIZED', 'csrf'],
      ['OK', 'sign-out'],
    ]);
    // The old cookie no longer opens anything, in the console or the API.
    const replay = await fetch(`${harness.baseUrl}/console/`, { headers: { cookie: `rk_console=${cookie.value}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
    expect((await harness.as(cookie.value).http('GET', '/v1/me')).status).toBe(401);
    await context.close();
  });

  it('ends a session after the idle timeout on its next use, audited LOGOUT with the reason', async () => {
    const analyst = await harness.identityFor('compliance-analyst');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, analyst.token);
    // Idle for longer than the 30-minute default, without waiting: the session's last activity moves back.
    await harness.db
      .update(consoleSessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` })
      .where(eq(consoleSessions.userId, analyst.userId));
    await page.goto(`${harness.baseUrl}/console/audit`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    expect(await page.getByRole('status').textContent()).toContain('without activity');
    const logouts = await entriesOf(analyst.userId, 'LOGOUT');
    expect(logouts.map((entry) => (entry.details as { reason?: string }).reason)).toEqual(['idle']);
    await context.close();
  });

  it('refuses a wrong token at sign-in, audited, without starting a session', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(`${harness.baseUrl}/console/sign-in`);
    await page.getByLabel('API token').fill('rk_not-a-real-token-at-all-000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toContain('Sign-in refused');
    expect((await context.cookies()).some((cookie) => cookie.name === 'rk_console')).toBe(false);
    await context.close();
  });
});
