import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpCall } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { entryShapes } from '../support/audit-entries.js';
import { releaseHold } from '../support/legal-holds.js';

let harness: Harness;
let auditor: HttpCall;
const deleteTaskIds: string[] = [];

beforeAll(async () => {
  harness = await createHarness();
  auditor = harness.as(await harness.tokenFor('auditor')).http;
});
afterAll(async () => {
  for (const id of deleteTaskIds) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await harness?.close();
});

interface Step {
  step: string;
  source: 'audit' | 'workflow';
  at: string;
  actor: { type: string; username: string } | null;
  correlationId: string | null;
}

const trace = async (conversationId: string, query = '') => {
  const answer = await auditor('GET', `/v1/conversations/${conversationId}/trace${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
};

/** Each expected step appears, in this order, with anything else in between. */
function expectInOrder(steps: Step[], expected: string[]): Step[] {
  const found: Step[] = [];
  let from = 0;
  for (const name of expected) {
    const index = steps.findIndex((step, position) => position >= from && step.step === name);
    expect(index, `"${name}" after "${expected[found.length - 1] ?? 'the start'}" in:\n${steps.map((step) => `${step.source} ${step.step}`).join('\n')}`).toBeGreaterThanOrEqual(0);
    found.push(steps[index]!);
    from = index + 1;
  }
  return found;
}

async function capture(attributes: Record<string, string> = {}) {
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, DisconnectTimestamp: now, LastUpdateTimestamp: now, Attributes: attributes }));
  expect(posted.body.results[0].status).toBe('created');
  return { conversationId: posted.body.results[0].conversationId as string, correlationId: posted.headers.get('x-request-id')! };
}

describe('lifecycle trace', () => {
  it('lists the capture from the audit history and the workflow history in one time order, with who did what', async () => {
    const { conversationId, correlationId } = await capture();
    const body = await trace(conversationId);
    expect(body.conversation).toMatchObject({ channel: 'VOICE', lifecycleState: 'captured', workflowId: `conversation-${conversationId}` });
    expect(body.workflow.runs).toEqual([expect.objectContaining({ historyAvailable: true })]);
    expect(body.workflow.note).toBeNull();

    const steps: Step[] = body.steps;
    expect(steps.map((step) => step.at)).toEqual([...steps.map((step) => step.at)].sort());
    const [begin, started, accepted, scheduled, captured, stored, completed, end] = expectInOrder(steps, [
      'CONTACT_RECORDS_IMPORT BEGIN',
      'workflow started',
      'update captureContactRecord accepted',
      'activity storeContactRecord scheduled',
      'CONVERSATION_CAPTURED',
      'activity storeContactRecord completed',
      'update captureContactRecord completed',
      'CONTACT_RECORDS_IMPORT END',
    ]);
    expect([begin, captured, end].map((step) => step!.source)).toEqual(['audit', 'audit', 'audit']);
    expect([started, accepted, scheduled, stored, completed].map((step) => step!.source)).toEqual(Array(5).fill('workflow'));
    // The integration that posted it, the workflow that stored it, one request id through both histories.
    expect(accepted!.actor?.username).toBe(harness.admin.username);
    expect(begin!.actor?.username).toBe(harness.admin.username);
    expect(captured!.actor?.type).toBe('workflow');
    expect(scheduled!.actor?.type).toBe('workflow');
    expect([begin, accepted, captured, completed, end].map((step) => step!.correlationId)).toEqual(Array(5).fill(correlationId));
    // Viewing the trace is itself part of the conversation's audit history.
    expect(steps.filter((step) => step.step === 'CONVERSATION_TRACE BEGIN')).toEqual([expect.objectContaining({ source: 'audit', actor: expect.objectContaining({ username: expect.stringMatching(/^auditor-/) }) })]);
  });

  it('shows duplicate deliveries and newer copies as steps of their own', async () => {
    const contactId = randomUUID();
    const first = contactRecord({ ContactId: contactId, LastUpdateTimestamp: '2026-11-20T10:03:00Z' });
    const posted = await harness.http('POST', '/v1/contact-records', first);
    const conversationId = posted.body.results[0].conversationId;
    expect((await harness.http('POST', '/v1/contact-records', first)).body.results[0].status).toBe('duplicate');
    const newer = contactRecord({ ContactId: contactId, LastUpdateTimestamp: '2026-11-21T09:00:00Z', Attributes: { disposition: 'escalated' } });
    expect((await harness.http('POST', '/v1/contact-records', newer)).body.results[0].status).toBe('updated');

    const steps: Step[] = (await trace(conversationId)).steps;
    expectInOrder(steps, [
      'CONVERSATION_CAPTURED',
      'update captureContactRecord completed',
      'update captureContactRecord accepted',
      'update captureContactRecord completed',
      'update captureContactRecord accepted',
      'CONTACT_RECORD_UPDATED',
      'update captureContactRecord completed',
    ]);
    // The duplicate wrote nothing about the conversation; its request is found through the update's context.
    expect(steps.filter((step) => step.step === 'CONTACT_RECORDS_IMPORT END')).toHaveLength(3);
  });

  it('follows a conversation through tagging, a legal hold and its release, an archive copy and deletion, and still shows it afterwards', async () => {
    const scope = uniqueId('trace');
    const tag = uniqueId('TRACE').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const { conversationId } = await capture({ retentionScope: scope });

    expect((await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: 'reviewed' })).status).toBe(200);
    const hold = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'FCA enquiry', reference: 'FCA-7' });
    expect(hold.status).toBe(201);
    const archiveTask = await harness.http('POST', '/v1/archive-tasks', { name: `trace ${scope}`, selection: { tag: { name: tag } }, destination: 'trace-drive' });
    expect(archiveTask.status, JSON.stringify(archiveTask.body)).toBe(201);
    const run = await harness.http('POST', `/v1/archive-tasks/${archiveTask.body.id}/runs`);
    expect(run.status).toBe(202);
    await eventually(async () => {
      const runs = await harness.http('GET', `/v1/archive-tasks/${archiveTask.body.id}/runs`);
      return runs.body.items.find((item: { id: string; finishedAt: string | null }) => item.id === run.body.runId && item.finishedAt);
    });
    expect((await releaseHold(harness, `/v1/conversations/${conversationId}/legal-holds/${hold.body.holdId}/release`, 'enquiry closed')).status).toBe(200);
    // A delete task created now finds the conversation already past its one-second window.
    const deleteTask = await harness.http('POST', '/v1/delete-tasks', { name: `trace ${scope}`, selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    expect(deleteTask.status, JSON.stringify(deleteTask.body)).toBe(201);
    deleteTaskIds.push(deleteTask.body.id);
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
    await eventually(async () => ((await harness.client.workflow.getHandle(`conversation-${conversationId}`).describe()).status.name === 'COMPLETED' ? true : undefined));

    const body = await trace(conversationId);
    expect(body.conversation).toMatchObject({ lifecycleState: 'deleted', deletedAt: expect.any(String) });
    expect(body.outcome).toMatch(/^Deleted at .* by conversation-.*: Conversation .* deleted: retention window .* elapsed/);
    expectInOrder(body.steps, [
      'CONVERSATION_CAPTURED',
      'update tagConversation accepted',
      'CONVERSATION_EVENT_TAG_ADD END',
      'update tagConversation completed',
      'update placeLegalHold accepted',
      'LEGAL_HOLD_ADD',
      'update placeLegalHold completed',
      'signal archiveRequested received',
      'CONVERSATION_ARCHIVED',
      'update releaseLegalHold accepted',
      'LEGAL_HOLD_RELEASE',
      'update releaseLegalHold completed',
      'activity deleteConversationIfDue scheduled',
      'CONVERSATION_DELETED',
      'activity deleteConversationIfDue completed',
      'workflow completed',
    ]);

    const text = await auditor('GET', `/v1/conversations/${conversationId}/trace?format=text&timeZone=Europe/Prague`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toContain('text/plain');
    const report = text.body as string;
    expect(report).toContain(`Lifecycle trace of conversation ${conversationId}`);
    expect(report).toMatch(/State: +deleted since /);
    expect(report).toContain('Times in:    Europe/Prague');
    for (const line of ['CONVERSATION_CAPTURED [OK]', 'LEGAL_HOLD_ADD [OK]', 'CONVERSATION_ARCHIVED [OK]', 'LEGAL_HOLD_RELEASE [OK]', 'CONVERSATION_DELETED [OK]']) {
      expect(report).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+\\+0[12]:00  ${line.replace(/[[\]]/g, '\\$&')}$`, 'm'));
    }
    expect(report.indexOf('LEGAL_HOLD_ADD')).toBeLessThan(report.indexOf('LEGAL_HOLD_RELEASE'));
    expect(report.indexOf('LEGAL_HOLD_RELEASE')).toBeLessThan(report.indexOf('CONVERSATION_DELETED'));
  });

  it('says so when Temporal no longer holds the workflow history, and still traces the conversation from its audit history', async () => {
    const { conversationId } = await capture();
    const workflowId = `conversation-${conversationId}`;
    const { runId } = await harness.client.workflow.getHandle(workflowId).describe();
    // What namespace retention does to a closed workflow; Temporal deletes in the background.
    await harness.client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId, runId } });
    const body = await eventually(async () => {
      const current = await trace(conversationId);
      return current.workflow.runs.length === 0 ? current : undefined;
    }, 75_000);
    expect(body.workflow.note).toMatch(/no history for this workflow/);
    expect(body.conversation).toMatchObject({ lifecycleState: 'captured' });
    expect(body.steps.every((step: Step) => step.source === 'audit')).toBe(true);
    expectInOrder(body.steps, ['CONTACT_RECORDS_IMPORT BEGIN', 'CONVERSATION_CAPTURED', 'CONTACT_RECORDS_IMPORT END', 'CONVERSATION_TRACE BEGIN']);
    const text = await auditor('GET', `/v1/conversations/${conversationId}/trace?format=text`);
    expect(text.body).toMatch(/^Note: +Temporal holds no history for this workflow/m);
  }, 90_000);

  it('answers 404 for a conversation that never existed, and audits the failed lookup', async () => {
    const answer = await auditor('GET', `/v1/conversations/${randomUUID()}/trace`);
    expect(answer.status).toBe(404);
    expect(await entryShapes(harness.db, answer)).toEqual(['CONVERSATION_TRACE:BEGIN:', 'CONVERSATION_TRACE:END:FAIL']);
  });
});
