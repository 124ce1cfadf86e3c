import { describe, expect, it } from 'vitest';
import type { RetentionReason } from '../../src/domain/retention-decision.js';
import { contactRecord } from '../support/contact-records.js';
import { ensureTags, eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';

/**
 * "Why is this conversation kept?" has one answer: the retention overview, a delete run's report and the
 * lifecycle trace all show the reasons of the same retention decision.
 */
const { harness, deleteTasks } = await lifecycleHarness();
const auditor = harness.as(await harness.tokenFor('auditor')).http;

async function capture(scope: string): Promise<string> {
  const now = new Date().toISOString();
  const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { reasonScope: scope } }));
  expect(posted.body.results[0].status).toBe('created');
  return posted.body.results[0].conversationId;
}

async function finishedRun(taskId: string, runId: string) {
  return eventually(async () => {
    const runs = (await harness.http('GET', `/v1/delete-tasks/${taskId}/runs`)).body.items as { id: string; finishedAt: string | null }[];
    const run = runs.find((candidate) => candidate.id === runId);
    return run?.finishedAt ? run : undefined;
  }, 60_000);
}

interface RunReport {
  skippedReasons: Record<string, number>;
  skippedReasonCodes: Record<string, number>;
  kept: { conversationId: string; reasons: RetentionReason[] }[];
}

describe('the reasons a conversation is kept', () => {
  it('are the same in the retention overview, the delete run report and the trace', async () => {
    const scope = uniqueId('reasons');
    const protecting = uniqueId('MIFID').toUpperCase().replace(/-/g, '_');
    await ensureTags(harness, [{ name: protecting, protectionYears: 5 }]);
    const [held, extended] = [await capture(scope), await capture(scope)];
    const hold = await harness.http('POST', `/v1/conversations/${held}/legal-holds`, { reason: 'litigation', reference: 'CASE-1' });
    expect(hold.status).toBe(201);
    expect((await harness.http('POST', `/v1/conversations/${held}/tags`, { name: protecting, value: null })).status).toBe(200);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const extension = await harness.http('POST', `/v1/conversations/${extended}/retention-extensions`, { until, reason: 'regulator request', authorityReference: 'REG-9' });
    expect(extension.body).toMatchObject({ extended: true, protectedUntil: until });

    const task = await harness.http('POST', '/v1/delete-tasks', { name: `reasons ${scope}`, selection: { attribute: { key: 'reasonScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const started = await harness.http('POST', `/v1/delete-tasks/${task.body.id}/runs`);
    expect(started.status).toBe(202);
    const run = await finishedRun(task.body.id, started.body.runId);
    expect(run).toMatchObject({ selected: 2, done: 0, skipped: 2, failed: 0 });
    const report = (run as unknown as { report: RunReport }).report;
    expect(report.skippedReasons).toEqual({ 'legal hold': 1, 'protected (MiFID II tag or extension)': 1 });
    expect(report.skippedReasonCodes).toEqual({ 'legal-hold': 1, 'retention-extension': 1 });

    const expected: Record<string, unknown[]> = {
      [held]: [
        { code: 'legal-hold', text: 'under 1 active legal hold', holdIds: [hold.body.holdId] },
        { code: 'protected-tag', text: expect.stringContaining(`MiFID II protection by tag ${protecting} until `), tags: [protecting], until: expect.any(String) },
      ],
      [extended]: [{ code: 'retention-extension', text: `retention extended on an authority's request until ${until}`, until }],
    };
    for (const conversationId of [held, extended]) {
      const overview = await harness.http('GET', `/v1/conversations/${conversationId}/retention`);
      expect(overview.status).toBe(200);
      const reasons = overview.body.reasons as RetentionReason[];
      expect(reasons).toEqual(expected[conversationId]);

      const inReport = report.kept.find((entry) => entry.conversationId === conversationId);
      expect(inReport?.reasons, 'the delete run report').toEqual(reasons);

      const trace = await auditor('GET', `/v1/conversations/${conversationId}/trace`);
      expect(trace.status).toBe(200);
      expect(trace.body.retention, 'the trace').toEqual({ status: overview.body.status, deleteAt: overview.body.deleteAt, deleteTask: overview.body.deleteTask, reasons });
      const text = await auditor('GET', `/v1/conversations/${conversationId}/trace?format=text`);
      expect(text.body).toMatch(new RegExp(`^Retention: +${overview.body.status}`, 'm'));
      for (const reason of reasons) expect(text.body, 'the trace as text').toContain(`[${reason.code}] ${reason.text}`);
    }
    expect((await harness.http('GET', `/v1/conversations/${held}/retention`)).body).toMatchObject({ status: 'held', deleteAt: null, deleteTask: null });
    expect((await harness.http('GET', `/v1/conversations/${extended}/retention`)).body).toMatchObject({ status: 'due', deleteAt: until, deleteTask: { id: task.body.id } });
  });
});
