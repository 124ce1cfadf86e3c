import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrailOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** Conversations handled by two agents of different groups, and the people who may or may not see them. */
async function scenario() {
  const suffix = randomUUID().slice(0, 8);
  const desk = `desk-${suffix}`;
  const otherDesk = `other-${suffix}`;
  const alice = await harness.identityFor('agent', { username: `alice-${suffix}`, groupNames: [desk] });
  const bob = await harness.identityFor('agent', { username: `bob-${suffix}`, groupNames: [otherDesk] });
  const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [desk] });
  const capture = async (agent: string) => {
    const answer = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agent } }));
    expect(answer.status).toBe(200);
    return answer.body.results[0].conversationId as string;
  };
  return { desk, alice, bob, supervisor, capture, aliceCall: await capture(alice.username), bobCall: await capture(bob.username) };
}

describe('who sees which conversation', () => {
  it('shows agents their own conversations only; another agent’s answers 404, audited as UNAUTHORIZED', async () => {
    const { alice, aliceCall, bobCall } = await scenario();
    const asAlice = harness.as(alice.token);
    expect((await asAlice.http('GET', `/v1/conversations/${aliceCall}`)).status).toBe(200);

    const hidden = await asAlice.http('GET', `/v1/conversations/${bobCall}`);
    const missing = await asAlice.http('GET', `/v1/conversations/${randomUUID()}`);
    expect(hidden.status).toBe(404);
    // Existence does not leak: the hidden conversation is answered exactly like one that does not exist.
    expect({ ...hidden.body, detail: undefined, requestId: undefined }).toEqual({ ...missing.body, detail: undefined, requestId: undefined });
    expect(await auditTrailOf(harness.db, hidden.headers.get('x-request-id'))).toEqual(['CONVERSATION_BY_ID:BEGIN:null', 'CONVERSATION_BY_ID:END:UNAUTHORIZED']);
    expect(await auditTrailOf(harness.db, missing.headers.get('x-request-id'))).toEqual(['CONVERSATION_BY_ID:BEGIN:null', 'CONVERSATION_BY_ID:END:FAIL']);
  });

  it('shows supervisors the conversations of the groups they supervise, not others', async () => {
    const { supervisor, aliceCall, bobCall } = await scenario();
    const asSupervisor = harness.as(supervisor.token);
    expect((await asSupervisor.http('GET', `/v1/conversations/${aliceCall}`)).status).toBe(200);
    expect((await asSupervisor.http('GET', `/v1/conversations/${bobCall}`)).status).toBe(404);
  });

  it('shows a supervisor who also takes calls both their own and their group’s, and no one else’s', async () => {
    const { desk, capture, aliceCall, bobCall } = await scenario();
    const lead = await harness.identityFor(['agent', 'supervisor'], { supervisedGroups: [desk] });
    const own = await capture(lead.username);
    const asLead = harness.as(lead.token);
    expect((await asLead.http('GET', `/v1/conversations/${own}`)).status).toBe(200);
    expect((await asLead.http('GET', `/v1/conversations/${aliceCall}`)).status).toBe(200);
    expect((await asLead.http('GET', `/v1/conversations/${bobCall}`)).status).toBe(404);
  });

  it('lets managers, compliance analysts, auditors and evaluators see every conversation', async () => {
    const { aliceCall, bobCall } = await scenario();
    for (const role of ['cc-manager', 'compliance-analyst', 'auditor', 'evaluator'] as const) {
      const caller = harness.as(await harness.tokenFor(role));
      expect((await caller.http('GET', `/v1/conversations/${aliceCall}`)).status, role).toBe(200);
      expect((await caller.http('GET', `/v1/conversations/${bobCall}`)).status, role).toBe(200);
    }
  });
});
