import { randomUUID } from 'node:crypto';
import { and, arrayContains, arrayOverlaps, asc, count, eq, gte, inArray, isNull, lt, notLike, sql } from 'drizzle-orm';
import type { Actor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Transaction } from '../db/client.js';
import { conversations, reviewPlanRuns, reviewPlans, reviews, users } from '../db/schema/index.js';
import { assignReviews, type EvaluatorLoad } from '../domain/review-assignment.js';
import { periodContaining, previousPeriod, type PeriodWindow, type RecurringPeriod } from '../domain/review-periods.js';
import { sampleForAgent, type SamplingCandidate } from '../domain/review-sampling.js';
import { isUsable, loadCurrentQuestionnaire } from './questionnaire-versions.js';
import { createReviews, isOpenReview, type NewReview } from './review-creation.js';
import { selectionRuleCondition } from './selection-rules-sql.js';

/** A run never makes more reviews than people could do; a plan that would is reported as capped. */
export const MAX_REVIEWS_PER_RUN = 5_000;
/** How many of one agent's conversations a run considers (bounded memory); sampled from, not all kept. */
const MAX_CANDIDATES_PER_AGENT = 5_000;

export type PlanRow = typeof reviewPlans.$inferSelect;

export interface AgentOutcome {
  agent: string;
  target: number;
  /** Selected for this period, by this run and earlier runs of it. */
  selected: number;
  shortfall: number;
}

export interface PlanRunReport {
  period: { start: string; end: string; timeZone: string };
  mode: PlanRow['mode'];
  /** New reviews this run made. */
  selected: number;
  /** Reviews earlier runs of this period had made already (a re-run adds to them, never repeats them). */
  alreadySelected: number;
  agents: AgentOutcome[];
  /** Shortfalls only: agents with fewer suitable conversations than the target. */
  shortfalls: AgentOutcome[];
  assignedPerEvaluator: Record<string, number>;
  unassigned: number;
  skipped: { reason: string; count: number; conversationIds?: string[] }[];
  capped: boolean;
}

export interface ReviewPlanRunOutcome {
  runId: string;
  periodStart: string;
  periodEnd: string;
  created: number;
  /** Every live review of this period's run, whose follow-up should be running. */
  reviewIds: string[];
  report: PlanRunReport;
}

export class PlanRunRefused extends Error {
  constructor(
    readonly reason: 'plan-missing' | 'plan-removed' | 'questionnaire-unusable',
    message: string,
  ) {
    super(message);
  }
}

/** The window a run reviews: the one-off plan's own, the period containing the instant asked for, or the last complete one. */
export function runWindow(plan: PlanRow, periodContainingInstant: Date | null, now: Date): PeriodWindow {
  if (plan.period === 'once') return { start: plan.windowStart!, end: plan.windowEnd! };
  const period = plan.period as RecurringPeriod;
  return periodContainingInstant ? periodContaining(periodContainingInstant, period, plan.timeZone) : previousPeriod(now, period, plan.timeZone);
}

const alive = and(isNull(conversations.deletedAt), notLike(conversations.externalKey, 'anonymised:%'));

function inWindow(window: PeriodWindow) {
  return and(gte(conversations.startedAt, window.start), lt(conversations.startedAt, window.end));
}

/** Not yet reviewed with this questionnaire: the unique index would refuse it anyway; this keeps it out of the sample. */
function notReviewedWith(questionnaireId: string) {
  return sql`not exists (select 1 from ${reviews} where ${reviews.questionnaireId} = ${questionnaireId} and ${reviews.conversationId} = ${conversations.id} and ${reviews.kind} <> 'calibration')`;
}

interface Agent {
  username: string;
  groupNames: string[];
}

async function agentsOf(tx: Transaction, group: string): Promise<Agent[]> {
  return tx
    .select({ username: users.username, groupNames: users.groupNames })
    .from(users)
    .where(and(arrayContains(users.groupNames, [group]), isNull(users.disabledAt), sql`'agent' = any(${users.roles})`))
    .orderBy(asc(users.username));
}

/** Enabled evaluators of the plan's group (and of the questionnaire's permitted groups), with their open workload. */
async function evaluatorsFor(tx: Transaction, plan: PlanRow, permittedGroups: readonly string[]): Promise<EvaluatorLoad[]> {
  const rows = await tx
    .select({ id: users.id, username: users.username, groups: users.groupNames })
    .from(users)
    .where(
      and(
        arrayContains(users.groupNames, [plan.evaluatorGroup]),
        isNull(users.disabledAt),
        sql`'evaluator' = any(${users.roles})`,
        permittedGroups.length > 0 ? arrayOverlaps(users.groupNames, [...permittedGroups]) : undefined,
      ),
    );
  if (rows.length === 0) return [];
  const open = await tx
    .select({ evaluatorId: reviews.evaluatorId, open: count() })
    .from(reviews)
    .where(and(inArray(reviews.evaluatorId, rows.map((row) => row.id)), isOpenReview))
    .groupBy(reviews.evaluatorId);
  const openOf = new Map(open.map((row) => [row.evaluatorId, row.open]));
  return rows.map((row) => ({ ...row, openReviews: openOf.get(row.id) ?? 0 }));
}

async function candidatesOf(tx: Transaction, plan: PlanRow, questionnaire: { id: string; selectionRules: PlanRow['rule'] }, window: PeriodWindow, agent: string | null, limit: number) {
  const preferred = selectionRuleCondition(questionnaire.selectionRules, plan.timeZone);
  const rows = await tx
    .select({ conversationId: conversations.id, agent: conversations.agentUsername, startedAt: conversations.startedAt, preferred: sql<boolean>`coalesce(${preferred}, false)` })
    .from(conversations)
    .where(
      and(
        agent === null ? undefined : eq(conversations.agentUsername, agent),
        inWindow(window),
        alive,
        selectionRuleCondition(plan.rule, plan.timeZone),
        notReviewedWith(questionnaire.id),
      ),
    )
    .orderBy(asc(conversations.startedAt), asc(conversations.id))
    .limit(limit);
  return rows.map((row) => ({ ...row, startedAt: row.startedAt! }));
}

/**
 * Runs a plan for one period in one transaction: selects (the questionnaire's call selection rules first,
 * then randomly, spread over the period), assigns by open workload, makes the reviews with their audit
 * entries, and records the report on the period's run row. Running the same period again only tops up what
 * is missing, so nothing is selected or assigned twice.
 */
export async function runReviewPlan(
  db: Database,
  input: { planId: string; periodContaining: Date | null; now: Date; actor: Actor; correlationId: string; requestedBy: string | null },
): Promise<ReviewPlanRunOutcome> {
  return db.transaction(async (tx) => {
    const [plan] = await tx.select().from(reviewPlans).where(eq(reviewPlans.id, input.planId)).for('update');
    if (!plan) throw new PlanRunRefused('plan-missing', `Review plan ${input.planId} does not exist`);
    if (plan.removedAt) throw new PlanRunRefused('plan-removed', `Review plan ${plan.name} was removed`);
    const current = await loadCurrentQuestionnaire(tx, plan.questionnaireId);
    if (!current || !isUsable(current.questionnaire)) throw new PlanRunRefused('questionnaire-unusable', `The questionnaire of plan ${plan.name} is not active`);
    const { questionnaire, version } = current;
    const window = runWindow(plan, input.periodContaining, input.now);

    const [run] = await tx
      .insert(reviewPlanRuns)
      .values({ id: randomUUID(), planId: plan.id, periodStart: window.start, periodEnd: window.end, runs: 1 })
      .onConflictDoUpdate({ target: [reviewPlanRuns.planId, reviewPlanRuns.periodStart], set: { runs: sql`${reviewPlanRuns.runs} + 1`, lastRunAt: sql`now()` } })
      .returning();
    const earlier = await tx
      .select({ agent: reviews.agentUsername, selected: count() })
      .from(reviews)
      .where(and(eq(reviews.planRunId, run!.id), sql`${reviews.status} <> 'deleted'`))
      .groupBy(reviews.agentUsername);
    const earlierOf = new Map(earlier.map((row) => [row.agent, row.selected]));
    const alreadySelected = earlier.reduce((sum, row) => sum + row.selected, 0);

    const picks: { conversationId: string; agent: string | null }[] = [];
    const agents: AgentOutcome[] = [];
    let capped = false;
    if (plan.mode === 'per-agent') {
      const target = plan.targetPerAgent ?? 0;
      for (const agent of await agentsOf(tx, plan.agentGroup!)) {
        const candidates: SamplingCandidate[] = await candidatesOf(tx, plan, questionnaire, window, agent.username, MAX_CANDIDATES_PER_AGENT);
        const before = earlierOf.get(agent.username) ?? 0;
        const sample = sampleForAgent({ candidates, target, alreadySelected: before, window, seed: `${plan.id}:${window.start.toISOString()}:${agent.username}` });
        const room = MAX_REVIEWS_PER_RUN - picks.length;
        if (sample.selected.length > room) capped = true;
        picks.push(...sample.selected.slice(0, room).map((conversationId) => ({ conversationId, agent: agent.username })));
        const selected = before + Math.min(sample.selected.length, room);
        agents.push({ agent: agent.username, target, selected, shortfall: Math.max(0, target - selected) });
      }
    } else {
      const candidates = await candidatesOf(tx, plan, questionnaire, window, null, MAX_REVIEWS_PER_RUN + 1);
      capped = candidates.length > MAX_REVIEWS_PER_RUN;
      picks.push(...candidates.slice(0, MAX_REVIEWS_PER_RUN).map((row) => ({ conversationId: row.conversationId, agent: row.agent })));
    }

    const groupsOf = await agentGroups(tx, picks.map((pick) => pick.agent));
    const evaluators = await evaluatorsFor(tx, plan, questionnaire.evaluatorGroups);
    const assignment = assignReviews(
      picks.map((pick) => ({ key: pick.conversationId, agent: pick.agent, agentGroups: groupsOf.get(pick.agent ?? '') ?? [] })),
      evaluators,
      { excludeOwnGroup: plan.excludeOwnGroup },
    );
    const evaluatorOf = new Map(assignment.assignments.map((row) => [row.key, row.evaluatorId]));
    const dueAt = new Date(input.now.getTime() + plan.dueAfterSeconds * 1000);
    const remindAt = plan.reminderBeforeSeconds === null ? null : new Date(dueAt.getTime() - plan.reminderBeforeSeconds * 1000);
    const rows: NewReview[] = picks.map((pick) => ({
      id: randomUUID(),
      kind: 'plan',
      questionnaireId: questionnaire.id,
      questionnaireVersion: version.version,
      conversationId: pick.conversationId,
      planId: plan.id,
      planRunId: run!.id,
      agentUsername: pick.agent,
      agentGroups: groupsOf.get(pick.agent ?? '') ?? [],
      evaluatorId: evaluatorOf.get(pick.conversationId) ?? null,
      dueAt,
      remindAt,
      createdBy: input.requestedBy ?? input.actor.username,
    }));
    const made = await createReviews(tx, rows);
    const usernameOf = new Map(evaluators.map((evaluator) => [evaluator.id, evaluator.username]));
    const assignedPerEvaluator: Record<string, number> = Object.fromEntries(evaluators.map((evaluator) => [evaluator.username, 0]));
    for (const review of made.created) if (review.evaluatorId) assignedPerEvaluator[usernameOf.get(review.evaluatorId)!]! += 1;

    const report: PlanRunReport = {
      period: { start: window.start.toISOString(), end: window.end.toISOString(), timeZone: plan.timeZone },
      mode: plan.mode,
      selected: made.created.length,
      alreadySelected,
      agents,
      shortfalls: agents.filter((agent) => agent.shortfall > 0),
      assignedPerEvaluator,
      unassigned: made.created.filter((review) => review.evaluatorId === null).length,
      skipped: [
        ...(made.gone.length > 0 ? [{ reason: 'conversation deleted or anonymised meanwhile', count: made.gone.length, conversationIds: made.gone }] : []),
        ...(made.duplicates.length > 0 ? [{ reason: 'already reviewed with this questionnaire', count: made.duplicates.length, conversationIds: made.duplicates }] : []),
        ...(assignment.unassigned.length > 0 ? [{ reason: 'no eligible evaluator (reviews made unassigned)', count: assignment.unassigned.length }] : []),
      ],
      capped,
    };
    await tx.update(reviewPlanRuns).set({ report: { ...report } }).where(eq(reviewPlanRuns.id, run!.id));
    await appendAudit(tx, [
      ...made.created.map((review) =>
        syncEntry({
          activity: 'CREATE_EVALUATION',
          result: 'OK',
          actor: input.actor,
          description: `Review ${review.id} created by plan ${plan.name} for the period from ${report.period.start}`,
          details: { reviewId: review.id, planId: plan.id, planRunId: run!.id, questionnaireId: questionnaire.id, questionnaireVersion: version.version, evaluatorId: review.evaluatorId },
          correlationId: input.correlationId,
          conversationId: review.conversationId,
        }),
      ),
      syncEntry({
        activity: 'REVIEW_PLAN_RUN',
        result: 'OK',
        actor: input.actor,
        description: `Review plan ${plan.name} run for ${report.period.start} to ${report.period.end}: ${report.selected} selected, ${report.shortfalls.length} shortfall(s)`,
        details: { planId: plan.id, planRunId: run!.id, runs: run!.runs, requestedBy: input.requestedBy, ...summaryOf(report) },
        correlationId: input.correlationId,
      }),
    ]);
    const live = await tx.select({ id: reviews.id }).from(reviews).where(and(eq(reviews.planRunId, run!.id), sql`${reviews.status} <> 'deleted'`));
    return { runId: run!.id, periodStart: report.period.start, periodEnd: report.period.end, created: made.created.length, reviewIds: live.map((row) => row.id), report };
  });
}

/** The audit entry keeps counts, not the lists (the run row has those). */
function summaryOf(report: PlanRunReport) {
  return {
    period: report.period,
    selected: report.selected,
    alreadySelected: report.alreadySelected,
    shortfalls: report.shortfalls,
    assignedPerEvaluator: report.assignedPerEvaluator,
    unassigned: report.unassigned,
    skipped: report.skipped.map(({ reason, count: skippedCount }) => ({ reason, count: skippedCount })),
    capped: report.capped,
  };
}

async function agentGroups(tx: Transaction, usernames: readonly (string | null)[]): Promise<Map<string, string[]>> {
  const distinct = [...new Set(usernames.filter((name): name is string => name !== null))];
  if (distinct.length === 0) return new Map();
  const rows = await tx.select({ username: users.username, groupNames: users.groupNames }).from(users).where(inArray(users.username, distinct));
  return new Map(rows.map((row) => [row.username, row.groupNames]));
}

export async function planRuns(db: Database, planId: string) {
  return db.select().from(reviewPlanRuns).where(eq(reviewPlanRuns.planId, planId)).orderBy(sql`${reviewPlanRuns.periodStart} desc`).limit(100);
}
