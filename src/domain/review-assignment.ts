export interface EvaluatorLoad {
  id: string;
  username: string;
  groups: readonly string[];
  /** Reviews assigned to them and not yet finished, before this plan. */
  openReviews: number;
}

/** `agent`: the username of the agent whose conversation it is, when known. */
export interface ReviewToAssign {
  key: string;
  agent: string | null;
  agentGroups: readonly string[];
}

export type UnassignedReason = 'no-eligible-evaluator';

export interface AssignmentPlan {
  assignments: { key: string; evaluatorId: string }[];
  unassigned: { key: string; reason: UnassignedReason }[];
  /** Reviews given to each evaluator by this plan (every evaluator listed, 0 included). */
  assignedPerEvaluator: Record<string, number>;
}

// Code-unit order, so that a plan does not depend on the locale of the machine that made it.
const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function mayEvaluate(evaluator: EvaluatorLoad, review: ReviewToAssign, excludeOwnGroup: boolean): boolean {
  if (review.agent !== null && evaluator.username === review.agent) return false;
  return !excludeOwnGroup || !evaluator.groups.some((group) => review.agentGroups.includes(group));
}

/**
 * Each review goes to the eligible evaluator with the least open workload (counting what this plan has
 * given so far), ties broken by username then id. An evaluator is never given their own conversation
 * (username === agent), nor, with excludeOwnGroup, one of an agent who shares a group with them.
 * Reviews are handled in the given order, except that those with fewer eligible evaluators go first, so
 * that a constrained review still finds someone; both lists of the plan keep the given order.
 */
export function assignReviews(reviews: readonly ReviewToAssign[], evaluators: readonly EvaluatorLoad[], options: { excludeOwnGroup: boolean }): AssignmentPlan {
  const assignedPerEvaluator: Record<string, number> = Object.fromEntries(evaluators.map((evaluator) => [evaluator.id, 0]));
  const load = (evaluator: EvaluatorLoad) => evaluator.openReviews + assignedPerEvaluator[evaluator.id]!;
  const leastLoaded = (a: EvaluatorLoad, b: EvaluatorLoad) => load(a) - load(b) || compareStrings(a.username, b.username) || compareStrings(a.id, b.id);

  const eligible = reviews.map((review) => evaluators.filter((evaluator) => mayEvaluate(evaluator, review, options.excludeOwnGroup)));
  // Array.prototype.sort is stable: equally constrained reviews keep the given order.
  const order = reviews.map((_, index) => index).sort((a, b) => eligible[a]!.length - eligible[b]!.length);
  const chosen = new Map<number, EvaluatorLoad>();
  for (const index of order) {
    const [evaluator] = [...eligible[index]!].sort(leastLoaded);
    if (!evaluator) continue;
    chosen.set(index, evaluator);
    assignedPerEvaluator[evaluator.id]!++;
  }

  const plan: AssignmentPlan = { assignments: [], unassigned: [], assignedPerEvaluator };
  reviews.forEach((review, index) => {
    const evaluator = chosen.get(index);
    if (evaluator) plan.assignments.push({ key: review.key, evaluatorId: evaluator.id });
    else plan.unassigned.push({ key: review.key, reason: 'no-eligible-evaluator' });
  });
  return plan;
}
