import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callConversationId } from '../../src/api/calls/call-id.js';
import { contactRecord } from '../support/contact-records.js';
import { chatTranscript, emailMessage, postEml, uniqueWord } from '../support/content-fixtures.js';
import { addExtensionRule, callEvents, ensureTags, eventually, uniqueExtension, uniqueId } from '../support/lifecycle.js';
import { sha256, wav } from '../recordings/wav.js';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.js';
import { consoleHarness } from './support/console-harness.js';

const { harness, browser } = await consoleHarness();
let ruleId: string | undefined;
const extension = uniqueExtension('4');
const RULE_TAG = 'CONSOLE_RULE_TAG';
const DESK_TAG = 'CONSOLE_DESK_TAG';
const CASE_TAG = 'CONSOLE_CASE_TAG';

beforeAll(async () => {
  await ensureTags(harness, [{ name: RULE_TAG }, { name: DESK_TAG }, { name: CASE_TAG }]);
  ruleId = await addExtensionRule(harness, extension, { name: `console explorer ${extension}`, position: 60, tag: { name: RULE_TAG } });
});

afterAll(async () => {
  if (ruleId) await harness.http('DELETE', `/v1/recording-rules/${ruleId}`);
});

/** A recorded call with a hold: two segments, the rule's tag on both, an agent-desktop tag on the first, audio for the first. */
async function recordedCallWithHold(customer: string) {
  const callId = uniqueId('console-call');
  const event = callEvents(callId);
  const post = async (body: unknown) => expect((await harness.http('POST', `/v1/calls/${callId}/events`, body)).status).toBe(200);
  await post(event('started', { customer, agent: extension, direction: 'inbound' }));
  const tagged = await harness.http('POST', `/v1/calls/${callId}/tags`, { name: DESK_TAG, value: 'complaint', source: 'agent-desktop' });
  expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
  const audio = wav(4000, 11);
  // The segment mirror in PostgreSQL is written just after the event is accepted.
  await eventually(async () => {
    const stored = await fetch(`${harness.baseUrl}/v1/calls/${callId}/segments/1/recording`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${harness.admin.token}`, 'content-type': 'audio/wav' },
      body: audio,
    });
    return stored.status === 201 ? true : undefined;
  });
  await post([event('held'), event('resumed'), event('ended')]);
  const conversationId = callConversationId(callId);
  await eventually(async () => {
    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    return read.status === 200 && read.body.lifecycleState === 'captured' && read.body.segments.length === 2 ? true : undefined;
  });
  return { conversationId, audio };
}

/** The viewer's own entries of this activity on the conversation, as the audit log API shows them. */
async function auditOf(viewer: { token: string; username: string }, conversationId: string, activity: string) {
  const answer = await harness.as(viewer.token).http('GET', `/v1/audit?conversationId=${conversationId}&activity=${activity}&user=${viewer.username}`);
  expect(answer.status).toBe(200);
  return (answer.body.entries as { result: string | null; phase: string; username: string }[]).filter((entry) => entry.phase !== 'BEGIN' && entry.username === viewer.username);
}

/** The page asks before consequential actions (data-confirm): the person says yes. */
function acceptConfirmations(page: Page) {
  page.on('dialog', (dialog) => void dialog.accept());
}

describe('conversation explorer and conversation page', () => {
  it('a compliance analyst searches, opens a call, plays and checks its media, tags it, places and releases a hold', async () => {
    const customer = `+4420${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const { conversationId, audio } = await recordedCallWithHold(customer);
    const analyst = await harness.identityFor('compliance-analyst', { timeZone: 'Europe/London', fullName: 'Carla Compliance' });
    const { context, page } = await newPage(browser, 'Europe/London');
    acceptConfirmations(page);
    await signIn(page, harness.baseUrl, analyst.token, '/console/conversations');

    await page.getByLabel('Phone').fill(customer);
    await page.getByLabel('Channel').selectOption('VOICE');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('phone') === customer);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(customer);
    await screenshot(page, '03-explorer');
    await expectAccessible(page, 'conversation explorer');

    await page.getByRole('link', { name: `Open ${conversationId.slice(0, 8)}` }).click();
    await page.waitForURL((url) => url.pathname === `/console/conversations/${conversationId}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('VOICE conversation');

    // Segments in call order, tags laid out per segment and source like the seed's call-flow tables.
    const segments = page.locator('table', { has: page.locator('caption', { hasText: 'Segments in call order' }) }).locator('tbody tr');
    expect(await segments.count()).toBe(2);
    const tagRows = page.locator('table.call-flow tbody tr');
    const tagTable = await tagRows.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())));
    const headers = await page.locator('table.call-flow thead th').allTextContents();
    const column = (title: string) => headers.indexOf(title);
    const first = tagTable.find((row) => row[0] === '1st segment')!;
    const second = tagTable.find((row) => row[0] === '2nd segment')!;
    expect(first[column('Recording rules')]).toBe(RULE_TAG);
    expect(first[column('Agent desktop')]).toBe(`${DESK_TAG}=complaint`);
    expect(second[column('Recording rules')]).toBe(RULE_TAG);
    expect(second[column('Agent desktop')]).toBe('—');

    // The player's source passes the verified file through, with Range for seeking.
    const player = page.getByLabel('Recording of the 1st segment');
    const source = await player.getAttribute('src');
    expect(source).toBe(`/console/conversations/${conversationId}/media/${sha256(audio)}`);
    const ranged = await page.request.get(`${harness.baseUrl}${source}`, { headers: { range: 'bytes=0-3' } });
    expect(ranged.status()).toBe(206);
    expect(ranged.headers()['content-range']).toBe(`bytes 0-3/${audio.length}`);
    expect((await ranged.body()).toString('ascii')).toBe('RIFF');

    await page.getByRole('button', { name: 'Check every file against its digest' }).click();
    await page.waitForURL((url) => url.searchParams.get('verify') === 'media');
    expect(await page.locator('td .badge-ok', { hasText: 'verified' }).count()).toBe(1);

    // Tag the whole conversation.
    await page.getByLabel('Tag', { exact: true }).selectOption(CASE_TAG);
    await page.getByLabel('Value (optional)').fill('case-42');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'tag-added');
    expect(await page.getByRole('status').filter({ hasText: 'Tag added.' }).count()).toBe(1);
    const whole = page.locator('table.call-flow tbody tr', { has: page.locator('th', { hasText: 'Whole conversation' }) });
    expect(await whole.textContent()).toContain(`${CASE_TAG}=case-42`);
    expect((await auditOf(analyst, conversationId, 'CONVERSATION_EVENT_TAG_ADD')).map((entry) => entry.result)).toEqual(['OK']);

    // Place a legal hold: listed under the holds and first among the reasons it is kept.
    await page.getByLabel('Reason for the hold').fill('Regulator inquiry 7');
    await page.getByLabel('Case reference (optional)').fill('FCA-7');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'hold-placed');
    const holds = page.locator('tr.hold');
    expect(await holds.count()).toBe(1);
    expect(await holds.first().textContent()).toContain('Regulator inquiry 7');
    expect(await page.locator('section', { has: page.locator('#retention-heading') }).locator('ol li').first().textContent()).toContain('legal hold');
    expect((await auditOf(analyst, conversationId, 'LEGAL_HOLD_ADD')).map((entry) => entry.result)).toEqual(['OK']);
    await screenshot(page, '04-conversation');
    await expectAccessible(page, 'conversation page');

    // A post without the form's CSRF token changes nothing.
    const forged = await page.request.post(`${harness.baseUrl}/console/conversations/${conversationId}/legal-holds`, { form: { reason: 'forged' } });
    expect(forged.status()).toBe(403);
    expect((await auditOf(analyst, conversationId, 'LEGAL_HOLD_ADD')).map((entry) => entry.result)).toEqual(['OK']);

    // Release it, with four eyes: the analyst asks, a colleague approves.
    await page.getByLabel('Reason to release the hold “Regulator inquiry 7”').fill('Inquiry closed');
    await page.getByRole('button', { name: 'Request release' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'release-requested');
    expect(await page.locator('tr.hold').textContent()).toContain('Release requested by you');
    expect(await page.getByRole('button', { name: 'Approve release' }).count()).toBe(0);
    expect((await auditOf(analyst, conversationId, 'LEGAL_HOLD_RELEASE_REQUEST')).map((entry) => entry.result)).toEqual(['OK']);

    const colleague = await harness.identityFor('compliance-analyst', { fullName: 'Colin Colleague' });
    const approver = await newPage(browser);
    acceptConfirmations(approver.page);
    await signIn(approver.page, harness.baseUrl, colleague.token, `/console/conversations/${conversationId}`);
    await approver.page.getByRole('button', { name: 'Approve release' }).click();
    await approver.page.waitForURL((url) => url.searchParams.get('done') === 'hold-released');
    expect(await approver.page.locator('tr.hold').count()).toBe(0);
    expect(await approver.page.getByText('No active legal hold.').count()).toBe(1);
    expect((await auditOf(colleague, conversationId, 'LEGAL_HOLD_RELEASE')).map((entry) => entry.result)).toEqual(['OK']);
    await approver.context.close();
    await page.reload();
    expect(await page.getByText('No active legal hold.').count()).toBe(1);

    // Remove the tag again, and extend the protection on an authority's request.
    await page.getByRole('button', { name: `Remove tag ${CASE_TAG}` }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'tag-removed');
    expect(await page.locator('table.call-flow').textContent()).not.toContain(CASE_TAG);
    const until = new Date(Date.now() + 3 * 365 * 24 * 3600 * 1000);
    await page.getByLabel('Protect until (Europe/London)').fill(`${until.getUTCFullYear()}-06-30T12:00`);
    await page.getByLabel('Reason for the extension').fill('Regulator asked to keep it');
    await page.getByLabel('Authority reference (optional)').fill('FCA-7b');
    await page.getByRole('button', { name: 'Extend retention' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'retention-extended');
    const protectedUntil = page.locator('dl.facts dt', { hasText: 'Protected until' }).locator('xpath=following-sibling::dd[1]').locator('time');
    // 12:00 in London in June is 11:00 UTC (summer time): the time was read in the viewer's zone.
    expect(await protectedUntil.getAttribute('datetime')).toBe(`${until.getUTCFullYear()}-06-30T11:00:00.000Z`);
    expect((await auditOf(analyst, conversationId, 'RETENTION_EXTEND')).map((entry) => entry.result)).toEqual(['OK']);

    // Export the recordings: a tar whose manifest names the recording's digest.
    const download = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export recordings' }).click()]).then(([file]) => file);
    const tar = fs.readFileSync((await download.path())!);
    expect(tar.subarray(0, 13).toString('ascii')).toBe('manifest.json');
    expect(tar.toString('latin1')).toContain(sha256(audio));
    expect(download.suggestedFilename()).toBe(`recordings-${conversationId}.tar`);
    await context.close();
  });

  it("lists only an agent's own conversations and answers another agent's conversation as not found", async () => {
    const queue = uniqueId('console-queue');
    const [own, other] = [await harness.identityFor('agent'), await harness.identityFor('agent')];
    const capture = async (username: string) => {
      const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: username }, Queue: { Name: queue } }));
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      const conversationId = posted.body.results[0].conversationId as string;
      await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}`)).status === 200 ? true : undefined));
      return conversationId;
    };
    const ownConversation = await capture(own.username);
    const otherConversation = await capture(other.username);

    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, own.token, `/console/conversations?queue=${encodeURIComponent(queue)}`);
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(own.username);
    expect(await page.getByRole('link', { name: `Open ${ownConversation.slice(0, 8)}` }).count()).toBe(1);
    expect(await page.getByRole('link', { name: `Open ${otherConversation.slice(0, 8)}` }).count()).toBe(0);
    // Without filters too: every row is their own.
    await page.goto(`${harness.baseUrl}/console/conversations`);
    const agents = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(agents.length).toBeGreaterThan(0);
    expect(new Set(agents)).toEqual(new Set([own.username]));

    // Their own conversation opens, without the actions their role may not take.
    await page.goto(`${harness.baseUrl}/console/conversations/${ownConversation}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('VOICE conversation');
    expect(await page.getByRole('button', { name: 'Place hold' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add tag' }).count()).toBe(0);
    expect(await page.locator('#retention-heading').count()).toBe(0);

    // Another agent's: the API's 404, as a readable page.
    const response = await page.goto(`${harness.baseUrl}/console/conversations/${otherConversation}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Conversation not found');
    expect(await page.getByRole('alert').textContent()).toContain('Conversation not found');
    expect(await page.content()).not.toContain(other.username);
    await expectAccessible(page, 'conversation not found');
    await context.close();
  });

  it('an auditor finds an email by its cc and reads it, and reads a chat with its participants and messages', async () => {
    const word = uniqueWord('consoleword');
    const cc = `${word}@copy.example.com`;
    const email = await postEml(
      harness,
      emailMessage({ from: { address: 'trader@bank.example.com', name: 'Tina Trader' }, to: ['client@example.com'], cc: [cc], subject: `Order ${word}`, body: `Please confirm the order ${word}.` }),
    );
    expect(email.status, JSON.stringify(email.body)).toBeLessThan(300);
    const chat = await harness.http('POST', '/v1/chats', chatTranscript({ customerName: 'Chris Customer', agentName: 'Ada Agent', messages: [{ from: 'CUSTOMER', text: `chat about ${word}`, at: new Date().toISOString() }, { from: 'AGENT', text: 'noted, thank you', at: new Date(Date.now() + 1000).toISOString() }] }));
    expect(chat.status, JSON.stringify(chat.body)).toBeLessThan(300);

    const auditor = await harness.identityFor('auditor');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, auditor.token, '/console/conversations');
    await page.getByLabel('Email cc').fill(cc);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('cc') === cc);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').first().textContent()).toContain(`Order ${word}`);
    await page.getByRole('link', { name: `Open ${(email.body.conversationId as string).slice(0, 8)}` }).click();
    await page.waitForURL((url) => url.pathname === `/console/conversations/${email.body.conversationId}`);
    const facts = await page.locator('section', { has: page.locator('#email-heading') }).textContent();
    expect(facts).toContain('trader@bank.example.com');
    expect(facts).toContain('client@example.com');
    expect(facts).toContain(cc);
    expect(facts).toContain(`Order ${word}`);
    expect(await page.locator('pre.email-body').textContent()).toContain(`Please confirm the order ${word}.`);
    // The whole message is kept as its original, listed with its digest; an auditor takes no actions.
    expect(await page.locator('td').filter({ hasText: /^original$/ }).count()).toBe(1);
    expect(await page.locator('#actions-heading').count()).toBe(0);
    expect(await page.locator('#retention-heading').count()).toBe(1);
    await expectAccessible(page, 'email conversation');

    await page.goto(`${harness.baseUrl}/console/conversations?channel=CHAT&q=${word}`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.locator('tbody tr a').first().click();
    await page.waitForURL((url) => url.pathname === `/console/conversations/${chat.body.conversationId}`);
    const chatView = await page.locator('section', { has: page.locator('#chat-heading') }).textContent();
    expect(chatView).toContain('Chris Customer');
    expect(chatView).toContain('Ada Agent');
    expect(chatView).toContain(`chat about ${word}`);
    await expectAccessible(page, 'chat conversation');
    await context.close();
  });

  it('anonymises a conversation on a GDPR request only once confirmed, and shows the refusal under a legal hold', async () => {
    const captured = async () => {
      const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Queue: { Name: uniqueId('console-gdpr') } }));
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      const id = posted.body.results[0].conversationId as string;
      await eventually(async () => ((await harness.http('GET', `/v1/conversations/${id}`)).status === 200 ? true : undefined));
      return id;
    };
    const [erased, conversationId] = [await captured(), await captured()];
    const analyst = await harness.identityFor('compliance-analyst');
    const { context, page } = await newPage(browser);
    let confirm = false;
    page.on('dialog', (dialog) => void (confirm ? dialog.accept() : dialog.dismiss()));
    await signIn(page, harness.baseUrl, analyst.token, `/console/conversations/${erased}`);

    // Declining the confirmation sends nothing.
    await page.getByLabel('Reason for anonymising').fill('GDPR erasure request');
    await page.getByRole('button', { name: 'Anonymise' }).click();
    expect(new URL(page.url()).searchParams.get('done')).toBeNull();
    expect(await auditOf(analyst, erased, 'CONVERSATION_EVENT_ANONYMIZE_ADD')).toEqual([]);
    confirm = true;
    await page.getByRole('button', { name: 'Anonymise' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'anonymised');
    expect(await page.getByRole('status').filter({ hasText: 'Personal data erased.' }).count()).toBe(1);
    expect((await auditOf(analyst, erased, 'CONVERSATION_EVENT_ANONYMIZE_ADD')).map((entry) => entry.result)).toEqual(['OK']);

    await page.goto(`${harness.baseUrl}/console/conversations/${conversationId}`);

    // Under a hold the API refuses, and the page says why.
    await page.getByLabel('Reason for the hold').fill('Litigation');
    await page.getByRole('button', { name: 'Place hold' }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'hold-placed');
    await page.getByLabel('Reason for anonymising').fill('GDPR erasure request');
    await page.getByRole('button', { name: 'Anonymise' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').textContent()).toMatch(/hold/i);
    expect((await auditOf(analyst, conversationId, 'CONVERSATION_EVENT_ANONYMIZE_ADD')).map((entry) => entry.result)).not.toContain('OK');
    await context.close();
  });

  it('names the refused filter when the API refuses a search', async () => {
    const analyst = await harness.identityFor('compliance-analyst');
    const { context, page } = await newPage(browser);
    await signIn(page, harness.baseUrl, analyst.token, '/console/conversations?attrKey=bad%20key&attrValue=x');
    expect(await page.getByRole('alert').textContent()).toContain('attr.bad key');
    await context.close();
  });
});
