import { and, arrayContains, arrayOverlaps, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { reviews, users } from '../db/schema/index.js';
import type { EvaluatorLoad } from '../domain/review-assignment.js';
import { isOpenReview } from './review-creation.js';
import type { QuestionnaireRow } from './questionnaire-versions.js';

type UserRow = typeof users.$inferSelect;

/**
 * Why this user may not review this conversation with this questionnaire, or null when they may: they hold
 * the evaluator role, are enabled, belong to one of the questionnaire's evaluator groups (when it names any)
 * and are not the conversation's agent.
 */
export function evaluatorRefusal(user: UserRow | undefined, questionnaire: QuestionnaireRow, agentUsername: string | null): string | null {
  if (!user) return 'no such user';
  if (!user.roles.includes('evaluator')) return `${user.username} is not an evaluator`;
  if (user.disabledAt !== null) return `${user.username} is disabled`;
  const groups = questionnaire.evaluatorGroups;
  if (groups.length > 0 && !user.groupNames.some((group) => groups.includes(group))) {
    return `${user.username} is in none of the questionnaire's evaluator groups (${groups.join(', ')})`;
  }
  if (agentUsername !== null && user.username === agentUsername) return `${user.username} is the agent of this conversation`;
  return null;
}

export async function findUser(executor: Executor, userId: string): Promise<UserRow | undefined> {
  const [user] = await executor.select().from(users).where(eq(users.id, userId));
  return user;
}

export async function findUsers(executor: Executor, userIds: readonly string[]): Promise<UserRow[]> {
  return userIds.length === 0 ? [] : executor.select().from(users).where(inArray(users.id, [...userIds]));
}

/** Every enabled evaluator who may use this questionnaire (all evaluators when it names no groups). */
export async function questionnaireEvaluators(executor: Executor, questionnaire: QuestionnaireRow): Promise<UserRow[]> {
  const groups = questionnaire.evaluatorGroups;
  return executor
    .select()
    .from(users)
    .where(and(arrayContains(users.roles, ['evaluator']), isNull(users.disabledAt), groups.length > 0 ? arrayOverlaps(users.groupNames, groups) : undefined));
}

/** The agent's groups as they are now, for the review's snapshot; none when the agent is not a user. */
export async function agentGroupsOf(executor: Executor, agentUsername: string | null): Promise<string[]> {
  if (agentUsername === null) return [];
  const [agent] = await executor.select({ groupNames: users.groupNames }).from(users).where(eq(users.username, agentUsername));
  return agent?.groupNames ?? [];
}

/** Each evaluator with their open workload, as assignment balances it. */
export async function evaluatorLoads(executor: Executor, evaluators: readonly UserRow[]): Promise<EvaluatorLoad[]> {
  if (evaluators.length === 0) return [];
  const open = await executor
    .select({ evaluatorId: reviews.evaluatorId, open: count() })
    .from(reviews)
    .where(and(inArray(reviews.evaluatorId, evaluators.map((evaluator) => evaluator.id)), isOpenReview))
    .groupBy(reviews.evaluatorId);
  const openOf = new Map(open.map((row) => [row.evaluatorId, Number(row.open)]));
  return evaluators.map((evaluator) => ({ id: evaluator.id, username: evaluator.username, groups: evaluator.groupNames, openReviews: openOf.get(evaluator.id) ?? 0 }));
}

