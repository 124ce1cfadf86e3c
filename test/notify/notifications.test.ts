import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/index.js';
import { notificationOutbox, reviewEvents, reviews, users } from '../../src/db/schema/index.js';
import { formatInTimeZone } from '../../src/domain/review-notifications.js';
import { enqueueReviewNotifications } from '../../src/notify/review-notifications.js';
import { ensureNotificationDispatcher } from '../../src/temporal/schedules.js';
import { notificationDispatchWorkflowId } from '../../src/workflows/notification-dispatch.contract.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import { eventually, uniqueId } from '../support/lifecycle.js';
import { activeQuestionnaire, captureConversation, createReview, insertQuestionnaire, revealedReview } from '../support/reviews.js';
import { startSmtpServer } from '../support/smtp.js';

/**
 * Review mails through the outbox, to a real SMTP server in this process: sent once each, in the
 * recipient's time zone, with no customer data, and delayed (never lost) while the server is down.
 */
const smtp = await startSmtpServer();
const mailer = smtp.mailer();
const harness = await createHarness({ activityDeps: { mailer } });
const dispatcherId = await ensureNotificationDispatcher(harness.client, harness.taskQueue, { pollSeconds: 1 });
afterAll(async () => {
  await harness.client.workflow.getHandle(dispatcherId).terminate('test over');
  await harness.close();
  await smtp.stop();
});

const CUSTOMER_NUMBER = '+441234567890';
const emailOf = (name: string) => `${uniqueId(name)}@example.test`;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outboxRows(email: string) {
  return harness.db.select().from(notificationOutbox).where(eq(notificationOutbox.recipientEmail, email)).orderBy(asc(notificationOutbox.createdAt));
}

describe('review notification mails', () => {
  it('a plan run assigns a review: the evaluator gets one "review assigned" mail, due time in their zone, no customer data', async () => {
    const group = uniqueId('desk');
    const evaluatorGroup = uniqueId('evaluators');
    const manager = await harness.identityFor('cc-manager');
    const agent = await harness.identityFor('agent', { groupNames: [group] });
    const evaluatorEmail = emailOf('eve');
    const evaluator = await harness.identityFor('evaluator', { groupNames: [evaluatorGroup], email: evaluatorEmail, timeZone: 'Asia/Tokyo' });
    const questionnaireId = await activeQuestionnaire(harness, manager);
    const at = '2026-11-17T09:00:00.000Z';
    const captured = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agent.username }, InitiationTimestamp: at, ConnectedToSystemTimestamp: at, DisconnectTimestamp: '2026-11-17T09:01:00.000Z', LastUpdateTimestamp: '2026-11-17T09:01:00.000Z' }));
    expect(captured.status, JSON.stringify(captured.body)).toBe(200);
    const plan = await harness.as(manager.token).http('POST', '/v1/review-plans', {
      name: uniqueId('plan'), questionnaireId, period: 'weekly', timeZone: 'Europe/Berlin', mode: 'per-agent', targetPerAgent: 1,
      agentGroup: group, evaluatorGroup, dueAfterSeconds: 3 * 24 * 3600,
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    const run = await harness.as(manager.token).http('POST', `/v1/review-plans/${plan.body.id}/runs`, { periodContaining: '2026-11-18T12:00:00Z' });
    expect(run.status, JSON.stringify(run.body)).toBeLessThan(300);

    const [mail] = await eventually(async () => (smtp.to(evaluatorEmail).length > 0 ? smtp.to(evaluatorEmail) : undefined));
    const [review] = await harness.db.select().from(reviews).where(eq(reviews.evaluatorId, evaluator.userId));
    expect(review?.dueAt).toBeTruthy();
    expect(mail!.rcptTo).toEqual([evaluatorEmail]);
    expect(mail!.parsed.subject).toBe(`Review assigned: ${review!.id}`);
    expect(mail!.parsed.from?.text).toContain('recordkeeper@localhost');
    const due = formatInTimeZone(review!.dueAt!, 'Asia/Tokyo');
    expect(due).toMatch(/\(Asia\/Tokyo\)$/);
    expect(mail!.parsed.text).toContain(`Due: ${due}`);
    expect(mail!.parsed.text).toContain(`/v1/reviews/${review!.id}`);
    expect(mail!.parsed.html).toContain(due);
    const [row] = await outboxRows(evaluatorEmail);
    expect(mail!.parsed.messageId).toBe(`<${row!.id}@localhost>`);
    for (const body of [mail!.parsed.text ?? '', String(mail!.parsed.html)]) {
      expect(body).not.toContain(CUSTOMER_NUMBER);
      expect(body).not.toContain(agent.username);
    }
    await settle(2_000);
    expect(smtp.to(evaluatorEmail)).toHaveLength(1);
    expect(row).toMatchObject({ status: 'sent', attempts: 0, kind: 'review-assigned' });
  });

  it('a reveal mails the agent once; the same event queued and dispatched again sends nothing more', async () => {
    const manager = await harness.identityFor('cc-manager');
    const evaluatorEmail = emailOf('evaluator');
    const agentEmail = emailOf('agent');
    const evaluator = await harness.identityFor('evaluator', { email: evaluatorEmail });
    const agent = await harness.identityFor('agent', { email: agentEmail, timeZone: 'America/New_York' });
    const questionnaire = await insertQuestionnaire(harness.db);
    const review = await revealedReview(harness, { manager, evaluator, agent }, { questionnaireId: questionnaire.id });

    const [mail] = await eventually(async () => (smtp.to(agentEmail).length > 0 ? smtp.to(agentEmail) : undefined));
    expect(mail!.parsed.subject).toBe(`Review revealed: ${review.id}`);
    expect(mail!.parsed.text).toContain(`/v1/reviews/${review.id}`);
    expect(mail!.parsed.text).not.toContain(CUSTOMER_NUMBER);
    await eventually(async () => (smtp.to(evaluatorEmail).length > 0 ? true : undefined));

    // The step's transaction retried, and the activity run twice more: still one mail each.
    const events = await harness.db.select().from(reviewEvents).where(and(eq(reviewEvents.reviewId, review.id), inArray(reviewEvents.step, ['assigned', 'revealed'])));
    await harness.db.transaction((tx) => enqueueReviewNotifications(tx, events));
    const { dispatchNotifications } = createActivities({ db: harness.db, media: harness.media, mailer });
    await dispatchNotifications();
    await dispatchNotifications();
    await settle(1_500);
    expect(smtp.to(agentEmail)).toHaveLength(1);
    expect(smtp.to(evaluatorEmail)).toHaveLength(1);
    expect(await outboxRows(agentEmail)).toMatchObject([{ status: 'sent', kind: 'review-revealed' }]);
  });

  it('users without an email address or disabled get no mail', async () => {
    const manager = await harness.identityFor('cc-manager');
    const silent = await harness.identityFor('evaluator');
    const disabledEmail = emailOf('gone');
    const disabled = await harness.identityFor('evaluator', { email: disabledEmail });
    await harness.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.userId));
    const questionnaire = await insertQuestionnaire(harness.db);
    const conversationId = await captureConversation(harness, uniqueId('agent'));
    const review = await createReview(harness, manager, { conversationId, questionnaireId: questionnaire.id, evaluatorId: silent.userId });
    expect(await harness.db.select().from(notificationOutbox).where(eq(notificationOutbox.recipientUserId, silent.userId))).toEqual([]);
    // As if the review had been given to the user who is disabled now (the API refuses to).
    await harness.db.update(reviews).set({ evaluatorId: disabled.userId }).where(eq(reviews.id, review.id));
    await harness.db.transaction((tx) => enqueueReviewNotifications(tx, [{ id: -1, reviewId: review.id, step: 'assigned' }]));
    expect(await outboxRows(disabledEmail)).toEqual([]);
  });

  it('with the SMTP server down a mail stays pending, counting attempts, and arrives exactly once when it is back', async () => {
    const manager = await harness.identityFor('cc-manager');
    const evaluatorEmail = emailOf('patient');
    const evaluator = await harness.identityFor('evaluator', { email: evaluatorEmail });
    const questionnaire = await insertQuestionnaire(harness.db);
    const conversationId = await captureConversation(harness, uniqueId('agent'));

    await smtp.stop();
    try {
      await createReview(harness, manager, { conversationId, questionnaireId: questionnaire.id, evaluatorId: evaluator.userId, dueAt: '2027-01-15T12:00:00.000Z' });
      const [failing] = await eventually(async () => {
        const rows = await outboxRows(evaluatorEmail);
        return rows.length === 1 && rows[0]!.attempts >= 1 ? rows : undefined;
      });
      expect(failing).toMatchObject({ status: 'pending', sentAt: null });
      expect(failing!.lastError).toBeTruthy();
      expect(failing!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() - 1_000);
      expect(smtp.to(evaluatorEmail)).toHaveLength(0);
    } finally {
      await smtp.start();
    }

    const [mail] = await eventually(async () => (smtp.to(evaluatorEmail).length > 0 ? smtp.to(evaluatorEmail) : undefined));
    expect(mail!.parsed.text).toContain('Due: 2027-01-15 12:00 (UTC)');
    await settle(2_000);
    expect(smtp.to(evaluatorEmail)).toHaveLength(1);
    const [row] = await outboxRows(evaluatorEmail);
    expect(row).toMatchObject({ status: 'sent' });
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.sentAt).toBeTruthy();
  });

  it('one dispatcher per task queue: ensuring it again keeps the running one', async () => {
    const first = await harness.client.workflow.getHandle(notificationDispatchWorkflowId(harness.taskQueue)).describe();
    await ensureNotificationDispatcher(harness.client, harness.taskQueue, { pollSeconds: 1 });
    const again = await harness.client.workflow.getHandle(notificationDispatchWorkflowId(harness.taskQueue)).describe();
    expect(again.runId).toBe(first.runId);
    expect(again.status.name).toBe('RUNNING');
  });
});
