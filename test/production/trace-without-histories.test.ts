import { afterAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import { releaseHold } from '../support/legal-holds.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';

/**
 * README "Namespace retention and personal data": nothing depends on a closed workflow history. A conversation
 * lives its whole life, Temporal then removes its histories (as namespace retention does, days after the
 * lifecycle closed), and the trace still tells that life, step by step, from the audit history alone.
 */
const harness = await createHarness();
const deleteTasks: string[] = [];
afterAll(async () => {
  for (const id of deleteTasks) await harness.http('DELETE', `/v1/delete-tasks/${id}`);
  await harness.close();
});

interface Step {
  step: string;
  source: 'audit' | 'workflow';
  audit: { chainSeq: number; activity: string } | null;
}
interface Trace {
  conversation: { lifecycleState: string; deletedAt: string | null };
  outcome: string;
  workflow: { runs: { runId: string; historyAvailable: boolean }[]; note: string | null };
  steps: Step[];
}

/** The life as the audit history tells it: every audit step but the trace lookups themselves. */
const lifeInAudit = (trace: Trace) => trace.steps.filter((step) => step.source === 'audit' && step.audit?.activity !== 'CONVERSATION_TRACE').map((step) => step.step);

describe('a conversation whose Temporal histories are gone', () => {
  it('is traced through its whole life (capture, tag, legal hold and release, deletion) from the audit history alone', async () => {
    const auditor = harness.as(await harness.tokenFor('auditor')).http;
    const trace = async (): Promise<Trace> => {
      const answer = await auditor('GET', `/v1/conversations/${conversationId}/trace`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const scope = uniqueId('histories');
    const tag = uniqueId('LIFE').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: tag }]);
    const now = new Date().toISOString();
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, DisconnectTimestamp: now, LastUpdateTimestamp: now, Attributes: { historyScope: scope } }));
    const conversationId: string = posted.body.results[0].conversationId;
    expect((await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag, value: 'complaint' })).status).toBe(200);
    const hold = await harness.http('POST', `/v1/conversations/${conversationId}/legal-holds`, { reason: 'FCA enquiry', reference: 'FCA-31' });
    expect(hold.status).toBe(201);
    expect((await releaseHold(harness, `/v1/conversations/${conversationId}/legal-holds/${hold.body.holdId}/release`, 'enquiry closed')).status).toBe(200);
    const task = await harness.http('POST', '/v1/delete-tasks', { name: `histories ${scope}`, selection: { attribute: { key: 'historyScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
    const workflowId = conversationWorkflowId(conversationId);
    await eventually(async () => ((await harness.client.workflow.getHandle(workflowId).describe()).status.name === 'COMPLETED' ? true : undefined), 60_000);

    const withHistories = await trace();
    expect(withHistories.workflow.runs.length).toBeGreaterThan(0);
    expect(withHistories.workflow.runs.every((run) => run.historyAvailable)).toBe(true);
    const life = lifeInAudit(withHistories);

    // What namespace retention does once it has passed: every run's history goes (Temporal deletes in the background).
    for (const { runId } of withHistories.workflow.runs) {
      await harness.client.workflowService.deleteWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId, runId } });
    }
    const withoutHistories = await eventually(async () => {
      const current = await trace();
      return current.workflow.runs.length === 0 ? current : undefined;
    }, 75_000);
    expect(withoutHistories.workflow.note).toMatch(/no history for this workflow/);
    expect(withoutHistories.steps.every((step) => step.source === 'audit')).toBe(true);

    // The same life, step for step, in chain order: capture, tag, hold, its four-eyes release, deletion.
    expect(lifeInAudit(withoutHistories)).toEqual(life);
    const seqs = withoutHistories.steps.map((step) => step.audit!.chainSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const milestones = ['CONVERSATION_CAPTURED', 'CONVERSATION_EVENT_TAG_ADD END', 'LEGAL_HOLD_ADD', 'LEGAL_HOLD_RELEASE', 'CONVERSATION_DELETED'];
    const positions = milestones.map((name) => life.indexOf(name));
    expect(positions.every((position) => position >= 0), `${milestones.join(', ')} in:\n${life.join('\n')}`).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(withoutHistories.conversation).toMatchObject({ lifecycleState: 'deleted', deletedAt: expect.any(String) });
    expect(withoutHistories.outcome).toMatch(/^Deleted at .*: Conversation .* deleted: retention window .* elapsed/);

    const text = await auditor('GET', `/v1/conversations/${conversationId}/trace?format=text`);
    expect(text.body).toMatch(/^Note: +Temporal holds no history for this workflow/m);
    for (const line of ['CONVERSATION_CAPTURED [OK]', 'LEGAL_HOLD_ADD [OK]', 'LEGAL_HOLD_RELEASE [OK]', 'CONVERSATION_DELETED [OK]']) expect(text.body).toContain(line);
  }, 180_000);
});
