import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { trainingAssignments } from '../../src/db/schema/index.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';
import { ALL_CORRECT, MOSTLY_WRONG, assignCoaching, createActivePack } from '../support/training.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const submit = (token: string, assignmentId: string, answers: unknown) => harness.as(token).http('POST', `/v1/training-assignments/${assignmentId}/attempts`, { answers });

describe('training report', () => {
  it('counts per agent and per group: assigned, passed, failed, cancelled, overdue, attempts; a supervisor sees their groups only', async () => {
    const [north, south] = [uniqueId('north'), uniqueId('south')];
    const manager = await harness.identityFor('cc-manager');
    const ann = await harness.identityFor('agent', { groupNames: [north] });
    const bob = await harness.identityFor('agent', { groupNames: [north, south] });
    const cid = await harness.identityFor('agent', { groupNames: [south] });
    const pack = await createActivePack(harness, manager, { purpose: 'coaching' });
    const second = await createActivePack(harness, manager, { purpose: 'coaching' });
    const from = new Date(Date.now() - 60_000).toISOString();

    const first = await assignCoaching(harness, manager, { packId: pack.id, userIds: [ann.userId, bob.userId, cid.userId] });
    const id = (userId: string, given = first) => given.assigned.find((row: any) => row.assigneeUserId === userId).id as string;
    // ann: passes on the second attempt. bob: fails twice (failed). cid: cancelled.
    await submit(ann.token, id(ann.userId), MOSTLY_WRONG);
    await submit(ann.token, id(ann.userId), ALL_CORRECT);
    await submit(bob.token, id(bob.userId), MOSTLY_WRONG);
    await submit(bob.token, id(bob.userId), MOSTLY_WRONG);
    await harness.as(manager.token).http('POST', `/v1/training-assignments/${id(cid.userId)}/cancel`, { reason: 'Moved on' });
    // ann also has an open one past due, bob one marked overdue by its follow-up.
    const more = await assignCoaching(harness, manager, { packId: second.id, userIds: [ann.userId, bob.userId] });
    await harness.db.update(trainingAssignments).set({ dueAt: new Date(Date.now() - 1000) }).where(eq(trainingAssignments.id, id(ann.userId, more)));
    await harness.db.update(trainingAssignments).set({ overdueAt: new Date() }).where(eq(trainingAssignments.id, id(bob.userId, more)));
    const to = new Date(Date.now() + 60_000).toISOString();

    const byAgent = await harness.as(manager.token).http('GET', `/v1/training-reports?from=${from}&to=${to}&groupBy=agent`);
    expect(byAgent.status, JSON.stringify(byAgent.body)).toBe(200);
    const agentRows = Object.fromEntries((byAgent.body.rows as any[]).filter((row) => [ann, bob, cid].some((who) => who.username === row.key)).map((row) => [row.key, row]));
    expect(agentRows).toEqual({
      [ann.username]: { key: ann.username, assigned: 2, open: 1, passed: 1, failed: 0, cancelled: 0, overdue: 1, attempts: 2 },
      [bob.username]: { key: bob.username, assigned: 2, open: 1, passed: 0, failed: 1, cancelled: 0, overdue: 1, attempts: 2 },
      [cid.username]: { key: cid.username, assigned: 1, open: 0, passed: 0, failed: 0, cancelled: 1, overdue: 0, attempts: 0 },
    });
    expect((await entriesOf(harness.db, byAgent)).map((entry) => `${entry.activity}:${entry.result}`)).toEqual(['TRAINING_REPORT:OK']);

    const byGroup = await harness.as(manager.token).http('GET', `/v1/training-reports?from=${from}&to=${to}&groupBy=group&packId=${pack.id}`);
    const groupRows = (byGroup.body.rows as any[]).filter((row) => row.key === north || row.key === south);
    expect(groupRows).toEqual([
      { key: north, assigned: 2, open: 0, passed: 1, failed: 1, cancelled: 0, overdue: 0, attempts: 4 },
      { key: south, assigned: 2, open: 0, passed: 0, failed: 1, cancelled: 1, overdue: 0, attempts: 2 },
    ].sort((a, b) => a.key.localeCompare(b.key)));

    const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [south] });
    const own = await harness.as(supervisor.token).http('GET', `/v1/training-reports?from=${from}&to=${to}&groupBy=group`);
    expect(own.body.rows.map((row: any) => row.key)).toEqual([south]);
    const ownAgents = await harness.as(supervisor.token).http('GET', `/v1/training-reports?from=${from}&to=${to}&groupBy=agent`);
    expect(ownAgents.body.rows.map((row: any) => row.key).sort()).toEqual([bob.username, cid.username].sort());

    const backwards = await harness.as(manager.token).http('GET', `/v1/training-reports?from=${to}&to=${from}`);
    expect(backwards.status).toBe(422);
    expect(backwards.body.errors.map((error: any) => error.field)).toEqual(['to']);
    expect((await harness.as(ann.token).http('GET', `/v1/training-reports?from=${from}&to=${to}`)).status).toBe(403);
  });
});
