import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { AuditContext } from '../../src/audit/write/audited.js';
import { auditLog, notificationOutbox, trainingAssignments, trainingEvents, trainingPacks } from '../../src/db/schema/index.js';
import { createUser } from '../../src/identity/users.js';
import { assignOnboarding } from '../../src/training/training-assignments.js';
import { entriesOf } from '../support/audit-entries.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import type { Identity } from '../support/identities.js';
import { uniqueId } from '../support/lifecycle.js';
import { SAMPLE_TIERS, insertQuestionnaire, revealedReview } from '../support/reviews.js';
import { createScratchDatabase } from '../support/scratch-database.js';
import { assignCoaching, createActivePack, insertTrainingPack, samplePackDefinition } from '../support/training.js';

const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const fields = (answer: HttpAnswer) => ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);
const stepsOf = async (assignmentId: string) =>
  (await harness.db.select({ step: trainingEvents.step }).from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId)).orderBy(trainingEvents.id)).map((row) => row.step);
const assignmentsOfReview = (reviewId: string) => harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.reviewId, reviewId)).orderBy(trainingAssignments.assignedAt);

/** A desk with an agent (with an email address), its supervisor, an evaluator, a quality manager, and a questionnaire whose two low tiers assign a pack. */
async function team() {
  const desk = uniqueId('desk');
  const agent = await harness.identityFor('agent', { groupNames: [desk], email: `${uniqueId('agent')}@example.test` });
  const evaluator = await harness.identityFor('evaluator');
  const manager = await harness.identityFor('cc-manager');
  const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [desk] });
  const pack = await createActivePack(harness, manager);
  const tiers = SAMPLE_TIERS.map((tier) => (tier.needsTraining ? { ...tier, trainingPackId: pack.id } : tier));
  const questionnaire = await insertQuestionnaire(harness.db, { tiers });
  return { desk, agent, evaluator, manager, supervisor, pack, questionnaire };
}

describe('training as the follow-up of a review', () => {
  it('a completed review in a "needs training" tier assigns the pack to its agent once, audited on the conversation, with the assignment mail queued', async () => {
    const t = await team();
    const review = await revealedReview(harness, t, { questionnaireId: t.questionnaire.id });
    expect(review.tier).toEqual({ name: 'needs coaching', needsTraining: true });

    const [assignment, ...more] = await assignmentsOfReview(review.id);
    expect(more).toEqual([]);
    expect(assignment).toMatchObject({
      packId: t.pack.id,
      packVersion: 1,
      assigneeUserId: t.agent.userId,
      assigneeGroups: [t.desk],
      reason: 'review',
      conversationId: review.conversation.id,
      status: 'assigned',
      attemptsAllowed: 2,
      attemptsUsed: 0,
    });
    expect(assignment!.dueAt.getTime() - assignment!.assignedAt.getTime()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(assignment!.remindAt!.getTime()).toBe(assignment!.dueAt.getTime() - 86_400_000);
    expect(await stepsOf(assignment!.id)).toEqual(['assigned']);

    const [audited] = await harness.db.select().from(auditLog).where(and(eq(auditLog.activity, 'TRAINING_ASSIGN'), eq(auditLog.conversationId, review.conversation.id)));
    expect(audited).toMatchObject({ result: 'OK', actorUsername: t.evaluator.username, details: expect.objectContaining({ assignmentId: assignment!.id, reviewId: review.id }) });

    const mails = await harness.db.select().from(notificationOutbox).where(eq(notificationOutbox.recipientUserId, t.agent.userId));
    const training = mails.filter((mail) => mail.kind === 'training-assigned');
    expect(training).toHaveLength(1);
    expect(training[0]!.textBody).toContain(`/v1/training-assignments/${assignment!.id}`);
    expect(training[0]!.eventKey).toMatch(new RegExp(`^training-event:\\d+:${t.agent.userId}$`));

    // Revealing it again or hiding it changes nothing about the training.
    await harness.as(t.manager.token).http('PUT', `/v1/reviews/${review.id}/reveal`, { revealed: false });
    expect(await assignmentsOfReview(review.id)).toHaveLength(1);
  });

  it('an accepted dispute that lifts the score out of the tier cancels the follow-up, saying why', async () => {
    const t = await team();
    const review = await revealedReview(harness, t, { questionnaireId: t.questionnaire.id });
    const disputed = await harness.as(t.agent.token).http('POST', `/v1/reviews/${review.id}/disputes`, { comment: 'All fine', suggestedAnswers: { q2: { value: 'yes' }, q4: { value: 5 } } });
    expect(disputed.status, JSON.stringify(disputed.body)).toBe(201);
    const resolved = await harness.as(t.manager.token).http('POST', `/v1/reviews/${review.id}/disputes/${disputed.body.id}/resolution`, { resolution: 'accepted', comment: 'Agreed' });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);

    const [assignment] = await assignmentsOfReview(review.id);
    expect(assignment).toMatchObject({ status: 'cancelled', cancelReason: `dispute of review ${review.id} accepted: score 100 is now in tier 'exceeds', which needs no training` });
    expect(await stepsOf(assignment!.id)).toEqual(['assigned', 'cancelled']);
    const cancel = (await entriesOf(harness.db, resolved)).find((entry) => entry.activity === 'TRAINING_CANCEL');
    expect(cancel).toMatchObject({ result: 'OK', conversationId: review.conversation.id, actorUsername: t.manager.username });
  });

  it('reopening cancels it, completing again in the tier assigns a new one; deleting cancels that', async () => {
    const t = await team();
    const review = await revealedReview(harness, t, { questionnaireId: t.questionnaire.id });
    const reopened = await harness.as(t.manager.token).http('POST', `/v1/reviews/${review.id}/reopen`, { reason: 'Wrong call listened to' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    const [first] = await assignmentsOfReview(review.id);
    expect(first).toMatchObject({ status: 'cancelled', cancelReason: `review ${review.id} reopened: the review is no longer completed` });

    const completed = await harness.as(t.evaluator.token).http('POST', `/v1/reviews/${review.id}/complete`, {});
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const [, second] = await assignmentsOfReview(review.id);
    expect(second).toMatchObject({ status: 'assigned', packId: t.pack.id });

    const deleted = await harness.as(t.manager.token).http('DELETE', `/v1/reviews/${review.id}`, { reason: 'Duplicate' });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    const after = await assignmentsOfReview(review.id);
    expect(after.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    expect(after[1]!.cancelReason).toBe(`review ${review.id} deleted: the review is deleted`);
  });

  it('assigns nothing for a tier without training, an inactive pack, or an agent who is not a user', async () => {
    const t = await team();
    const good = await revealedReview(harness, t, { questionnaireId: t.questionnaire.id, answers: { q1: { value: 'yes' }, q2: { value: 'yes' }, q3: { value: 'yes' }, q4: { value: 5 } } });
    expect(good.tier.name).toBe('exceeds');
    expect(await assignmentsOfReview(good.id)).toEqual([]);

    // Conversations of an agent the engine has no user for (an agent name from the telephony system).
    const ghost = { ...t.agent, username: uniqueId('no-such-user') };
    const unknown = await revealedReview(harness, { ...t, agent: ghost }, { questionnaireId: t.questionnaire.id });
    expect(unknown.tier.name).toBe('needs coaching');
    expect(await assignmentsOfReview(unknown.id)).toEqual([]);

    await harness.db.update(trainingPacks).set({ state: 'draft' }).where(eq(trainingPacks.id, t.pack.id));
    const low = await revealedReview(harness, t, { questionnaireId: t.questionnaire.id });
    expect(await assignmentsOfReview(low.id)).toEqual([]);
  });
});

describe('coaching by hand', () => {
  it('gives a pack to every member of a group once; a supervisor only within their groups', async () => {
    const manager = await harness.identityFor('compliance-analyst');
    const desk = uniqueId('desk');
    const members = [await harness.identityFor('agent', { groupNames: [desk] }), await harness.identityFor('agent', { groupNames: [desk, uniqueId('other')] })];
    const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [desk] });
    const pack = await createActivePack(harness, manager, { purpose: 'coaching' });

    const given = await assignCoaching(harness, supervisor, { packId: pack.id, group: desk });
    expect(given.assigned.map((row: any) => row.assigneeUserId).sort()).toEqual(members.map((member) => member.userId).sort());
    expect(given.assigned.every((row: any) => row.reason === 'coaching' && row.coachingGroup === desk && row.status === 'assigned')).toBe(true);
    const again = await assignCoaching(harness, manager, { packId: pack.id, userIds: [members[0]!.userId] });
    expect(again).toEqual({ assigned: [], skippedUserIds: [members[0]!.userId] });

    const stranger = await harness.identityFor('agent', { groupNames: [uniqueId('elsewhere')] });
    const notYours = await harness.as(supervisor.token).http('POST', '/v1/training-assignments', { packId: pack.id, userIds: [stranger.userId] });
    expect([notYours.status, fields(notYours)]).toEqual([403, ['userIds.0']]);
    const notYourGroup = await harness.as(supervisor.token).http('POST', '/v1/training-assignments', { packId: pack.id, group: uniqueId('elsewhere') });
    expect([notYourGroup.status, fields(notYourGroup)]).toEqual([403, ['group']]);
    const both = await harness.as(manager.token).http('POST', '/v1/training-assignments', { packId: pack.id, group: desk, userIds: [stranger.userId] });
    expect([both.status, fields(both)]).toEqual([422, ['userIds']]);
    const nobody = await harness.as(manager.token).http('POST', '/v1/training-assignments', { packId: pack.id, userIds: [crypto.randomUUID()] });
    expect([nobody.status, fields(nobody)]).toEqual([422, ['userIds.0']]);
    const agent = await harness.as(members[0]!.token).http('POST', '/v1/training-assignments', { packId: pack.id, userIds: [members[1]!.userId] });
    expect(agent.status).toBe(403);
  });

  it('lists what each caller may see: the trainee theirs, the supervisor their groups, managers all; a manager cancels with a reason', async () => {
    const manager = await harness.identityFor('cc-manager');
    const desk = uniqueId('desk');
    const [one, two] = [await harness.identityFor('agent', { groupNames: [desk] }), await harness.identityFor('agent', { groupNames: [desk] })];
    const supervisor = await harness.identityFor('supervisor', { supervisedGroups: [desk] });
    const outsider = await harness.identityFor('supervisor', { supervisedGroups: [uniqueId('desk')] });
    const pack = await createActivePack(harness, manager, { purpose: 'coaching' });
    const given = await assignCoaching(harness, manager, { packId: pack.id, group: desk });
    const idOf = (identity: Identity) => given.assigned.find((row: any) => row.assigneeUserId === identity.userId).id as string;

    const listed = async (identity: Identity) => {
      const answer = await harness.as(identity.token).http('GET', `/v1/training-assignments?packId=${pack.id}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return (answer.body.items as { id: string }[]).map((item) => item.id).sort();
    };
    expect(await listed(one!)).toEqual([idOf(one!)]);
    expect(await listed(supervisor)).toEqual([idOf(one!), idOf(two!)].sort());
    expect(await listed(outsider)).toEqual([]);
    expect(await listed(manager)).toEqual([idOf(one!), idOf(two!)].sort());
    const search = await harness.as(one!.token).http('GET', `/v1/training-assignments?assigneeUserId=me&limit=1`);
    expect((await entriesOf(harness.db, search)).map((entry) => `${entry.activity}:${entry.result}`)).toEqual(['TRAININGS_SEARCH:OK']);

    expect((await harness.as(two!.token).http('GET', `/v1/training-assignments/${idOf(one!)}`)).status).toBe(404);
    expect((await harness.as(supervisor.token).http('GET', `/v1/training-assignments/${idOf(one!)}`)).status).toBe(200);

    const noReason = await harness.as(manager.token).http('POST', `/v1/training-assignments/${idOf(one!)}/cancel`, {});
    expect([noReason.status, fields(noReason)]).toEqual([422, ['reason']]);
    const cancelled = await harness.as(manager.token).http('POST', `/v1/training-assignments/${idOf(one!)}/cancel`, { reason: 'Left the desk' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'Left the desk', attemptsLeft: 0 });
    expect((await entriesOf(harness.db, cancelled)).map((entry) => `${entry.activity}:${entry.result}`)).toEqual(['TRAINING_CANCEL:OK']);
    expect((await harness.as(manager.token).http('POST', `/v1/training-assignments/${idOf(one!)}/cancel`, { reason: 'again' })).status).toBe(409);
    const history = await harness.as(one!.token).http('GET', `/v1/training-assignments/${idOf(one!)}/history`);
    expect(history.body.items.map((item: { step: string }) => item.step)).toEqual(['assigned', 'cancelled']);
  });
});

describe('onboarding', () => {
  // Onboarding packs apply to every agent created while they are active: in the shared database they
  // would reach other test files' agents, so this runs on its own database.
  it('assigns every active onboarding pack to a new agent once, in the transaction that creates them; nobody else', async () => {
    const scratch = await createScratchDatabase(inject('databaseUrl')!, 'onboarding', 4);
    try {
      const db = scratch.handle.db;
      const audit: AuditContext = { actor: { type: 'system', id: 'test', username: 'onboarding-test', fullName: 'Onboarding test' }, correlationId: crypto.randomUUID() };
      const onboarding = await insertTrainingPack(db, { definition: samplePackDefinition() });
      const other = await insertTrainingPack(db);
      await db.update(trainingPacks).set({ assignOnAgentCreation: true, purpose: 'onboarding' }).where(eq(trainingPacks.id, onboarding));
      const retired = await insertTrainingPack(db);
      await db.update(trainingPacks).set({ assignOnAgentCreation: true, state: 'retired' }).where(eq(trainingPacks.id, retired));

      const agent = await createUser(db, { username: 'new-agent', fullName: 'New Agent', roles: ['agent'], groupNames: ['desk-1'], supervisedGroups: [], timeZone: 'UTC' }, audit);
      const evaluator = await createUser(db, { username: 'new-evaluator', fullName: 'New Evaluator', roles: ['evaluator'], groupNames: [], supervisedGroups: [], timeZone: 'UTC' }, audit);
      // Given again (a retried creation): the onboarding unique index gives nothing twice.
      await db.transaction((tx) => assignOnboarding(tx, { id: agent.id, username: agent.username, groupNames: agent.groupNames }, audit));

      const rows = await db.select().from(trainingAssignments).where(inArray(trainingAssignments.assigneeUserId, [agent.id, evaluator.id]));
      expect(rows.map((row) => ({ user: row.assigneeUserId, pack: row.packId, reason: row.reason, groups: row.assigneeGroups }))).toEqual([
        { user: agent.id, pack: onboarding, reason: 'onboarding', groups: ['desk-1'] },
      ]);
      expect(other).not.toBe(onboarding);
      const trail = await db.select().from(auditLog).where(eq(auditLog.correlationId, audit.correlationId));
      expect(trail.filter((entry) => entry.activity === 'TRAINING_ASSIGN')).toHaveLength(1);
      expect(trail.find((entry) => entry.activity === 'REGISTER' && entry.details.username === 'new-agent')!.details).toMatchObject({ onboardingAssignmentIds: [rows[0]!.id] });
    } finally {
      await scratch.drop();
    }
  });
});
