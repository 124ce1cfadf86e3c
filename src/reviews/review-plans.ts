import { randomUUID } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditedChange, type AuditContext } from '../audit/write/audited.js';
import type { Database, Executor } from '../db/client.js';
import { reviewPlans, users, type CallSelectionRules } from '../db/schema/index.js';
import type { ReviewPeriod } from '../domain/review-periods.js';
import { isUsable, loadCurrentQuestionnaire } from './questionnaire-versions.js';
import type { PlanRow } from './review-plan-runs.js';

export interface ReviewPlanInput {
  name: string;
  questionnaireId: string;
  period: ReviewPeriod;
  window: { start: Date; end: Date } | null;
  timeZone: string;
  mode: 'per-agent' | 'all-matching';
  targetPerAgent: number | null;
  agentGroup: string | null;
  rule: CallSelectionRules;
  evaluatorGroup: string;
  excludeOwnGroup: boolean;
  dueAfterSeconds: number;
  reminderBeforeSeconds: number | null;
  arbitratorId: string | null;
  enabled: boolean;
}

/** A plan that cannot be made as asked, naming the field that says why. */
export class PlanInputRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly status: 404 | 409 | 422 = 422,
  ) {
    super(message);
  }
}

async function checkPlan(executor: Executor, input: ReviewPlanInput): Promise<void> {
  const current = await loadCurrentQuestionnaire(executor, input.questionnaireId);
  if (!current) throw new PlanInputRefused('questionnaireId', `Questionnaire ${input.questionnaireId} does not exist`, 404);
  if (input.enabled && !isUsable(current.questionnaire)) throw new PlanInputRefused('questionnaireId', `Questionnaire "${current.questionnaire.name}" is ${current.questionnaire.state}: activate it first`, 409);
  if (input.arbitratorId) {
    const [arbitrator] = await executor.select({ roles: users.roles, disabledAt: users.disabledAt }).from(users).where(eq(users.id, input.arbitratorId));
    if (!arbitrator || arbitrator.disabledAt) throw new PlanInputRefused('arbitratorId', `No enabled user ${input.arbitratorId}`);
    if (!arbitrator.roles.some((role) => role === 'cc-manager' || role === 'compliance-analyst')) {
      throw new PlanInputRefused('arbitratorId', 'An arbitrator decides disputes: they need the cc-manager or compliance-analyst role');
    }
  }
}

function columnsOf(input: ReviewPlanInput) {
  return {
    name: input.name,
    questionnaireId: input.questionnaireId,
    period: input.period,
    windowStart: input.window?.start ?? null,
    windowEnd: input.window?.end ?? null,
    timeZone: input.timeZone,
    mode: input.mode,
    targetPerAgent: input.mode === 'per-agent' ? input.targetPerAgent : null,
    agentGroup: input.agentGroup,
    rule: input.rule,
    evaluatorGroup: input.evaluatorGroup,
    excludeOwnGroup: input.excludeOwnGroup,
    dueAfterSeconds: input.dueAfterSeconds,
    reminderBeforeSeconds: input.reminderBeforeSeconds,
    arbitratorId: input.arbitratorId,
    enabled: input.enabled,
  };
}

export function createReviewPlan(db: Database, input: ReviewPlanInput, context: AuditContext): Promise<PlanRow> {
  const id = randomUUID();
  return auditedChange(db, { ...context, activity: 'REVIEW_PLAN_CHANGE', description: `Review plan "${input.name}" created`, details: { planId: id, change: 'created' } }, async (tx) => {
    await checkPlan(tx, input);
    const [row] = await tx.insert(reviewPlans).values({ id, ...columnsOf(input), ownerId: context.actor.id }).returning();
    return { value: row!, details: { plan: { ...columnsOf(input) } } };
  });
}

export function updateReviewPlan(db: Database, planId: string, input: ReviewPlanInput, context: AuditContext): Promise<PlanRow> {
  return auditedChange(db, { ...context, activity: 'REVIEW_PLAN_CHANGE', description: `Review plan ${planId} changed`, details: { planId, change: 'updated' } }, async (tx) => {
    const [before] = await tx.select().from(reviewPlans).where(and(eq(reviewPlans.id, planId), isNull(reviewPlans.removedAt))).for('update');
    if (!before) throw new PlanInputRefused('planId', `No review plan ${planId}`, 404);
    await checkPlan(tx, input);
    const [row] = await tx.update(reviewPlans).set({ ...columnsOf(input), updatedAt: sql`now()` }).where(eq(reviewPlans.id, planId)).returning();
    return { value: row!, details: { plan: { ...columnsOf(input) } } };
  });
}

/** Removed plans stop running; their runs and reviews stay. */
export function removeReviewPlan(db: Database, planId: string, context: AuditContext): Promise<PlanRow> {
  return auditedChange(db, { ...context, activity: 'REVIEW_PLAN_CHANGE', description: `Review plan ${planId} removed`, details: { planId, change: 'removed' } }, async (tx) => {
    const [row] = await tx.update(reviewPlans).set({ removedAt: sql`now()`, enabled: false, updatedAt: sql`now()` }).where(and(eq(reviewPlans.id, planId), isNull(reviewPlans.removedAt))).returning();
    if (!row) throw new PlanInputRefused('planId', `No review plan ${planId}`, 404);
    return { value: row };
  });
}

export async function reviewPlan(executor: Executor, planId: string): Promise<PlanRow | undefined> {
  const [row] = await executor.select().from(reviewPlans).where(eq(reviewPlans.id, planId));
  return row;
}

/** Plans newest first; removed ones only when asked for. Plans are few (tens), so no pagination. */
export function reviewPlanList(executor: Executor, options: { includeRemoved: boolean }): Promise<PlanRow[]> {
  return executor
    .select()
    .from(reviewPlans)
    .where(options.includeRemoved ? undefined : isNull(reviewPlans.removedAt))
    .orderBy(desc(reviewPlans.createdAt))
    .limit(1000);
}
