import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignReviews, type EvaluatorLoad, type ReviewToAssign } from '../../src/domain/review-assignment.js';

const evaluator = (id: string, openReviews = 0, groups: string[] = []): EvaluatorLoad => ({ id, username: id, groups, openReviews });
const review = (key: string, agent: string | null = 'agent', agentGroups: string[] = []): ReviewToAssign => ({ key, agent, agentGroups });
const reviews = (count: number, agent: string | null = 'agent', agentGroups: string[] = []) => Array.from({ length: count }, (_, i) => review(`r${i}`, agent, agentGroups));
const noExclusion = { excludeOwnGroup: false };

describe('assigning reviews to evaluators', () => {
  it('balances reviews over evaluators with nothing open, ties going by username', () => {
    const plan = assignReviews(reviews(9), [evaluator('carol'), evaluator('alice'), evaluator('bob')], noExclusion);
    expect(plan.assignedPerEvaluator).toEqual({ alice: 3, bob: 3, carol: 3 });
    expect(plan.assignments.slice(0, 3)).toEqual([
      { key: 'r0', evaluatorId: 'alice' },
      { key: 'r1', evaluatorId: 'bob' },
      { key: 'r2', evaluatorId: 'carol' },
    ]);
    expect(plan.unassigned).toEqual([]);
  });

  it('evens out unequal open workloads before sharing the rest', () => {
    const plan = assignReviews(reviews(7), [evaluator('alice', 4), evaluator('bob', 1), evaluator('carol', 0)], noExclusion);
    expect(plan.assignedPerEvaluator).toEqual({ alice: 0, bob: 3, carol: 4 });
    const tied = assignReviews(reviews(1), [{ id: 'e2', username: 'same', groups: [], openReviews: 0 }, { id: 'e1', username: 'same', groups: [], openReviews: 0 }], noExclusion);
    expect(tied.assignments).toEqual([{ key: 'r0', evaluatorId: 'e1' }]);
  });

  it('never gives an evaluator their own conversation', () => {
    const plan = assignReviews([review('own', 'alice'), review('other', 'dave')], [evaluator('alice'), evaluator('bob', 10)], noExclusion);
    expect(plan.assignments).toEqual([
      { key: 'own', evaluatorId: 'bob' },
      { key: 'other', evaluatorId: 'alice' },
    ]);
  });

  it('keeps evaluators off their own group’s agents only when asked to', () => {
    const evaluators = [evaluator('alice', 0, ['Trading Desk']), evaluator('bob', 3, ['Back Office'])];
    const desk = [review('r0', 'dave', ['Sales', 'Trading Desk'])];
    expect(assignReviews(desk, evaluators, { excludeOwnGroup: true }).assignments).toEqual([{ key: 'r0', evaluatorId: 'bob' }]);
    expect(assignReviews(desk, evaluators, noExclusion).assignments).toEqual([{ key: 'r0', evaluatorId: 'alice' }]);
  });

  it('leaves a review nobody may take unassigned, with the reason', () => {
    const plan = assignReviews([review('r0', 'alice', ['Desk']), review('r1', 'dave')], [evaluator('alice'), evaluator('bob', 0, ['Desk'])], { excludeOwnGroup: true });
    expect(plan.unassigned).toEqual([{ key: 'r0', reason: 'no-eligible-evaluator' }]);
    expect(plan.assignments).toEqual([{ key: 'r1', evaluatorId: 'alice' }]);
    expect(assignReviews(reviews(2), [], noExclusion)).toEqual({
      assignments: [],
      unassigned: [
        { key: 'r0', reason: 'no-eligible-evaluator' },
        { key: 'r1', reason: 'no-eligible-evaluator' },
      ],
      assignedPerEvaluator: {},
    });
  });

  it('serves the most constrained review first, so that the others balance around it', () => {
    // In the given order bob (least open) would take r0, and r1, which only bob may review, would make it
    // two for bob and none for alice.
    const plan = assignReviews([review('r0', 'dave'), review('r1', 'alice')], [evaluator('alice', 1), evaluator('bob', 0)], noExclusion);
    expect(plan.assignments).toEqual([
      { key: 'r0', evaluatorId: 'alice' },
      { key: 'r1', evaluatorId: 'bob' },
    ]);
  });

  const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
  const groups = ['Desk', 'Sales', 'Ops'];
  const evaluatorsArb = fc.uniqueArray(fc.constantFrom(...names), { maxLength: names.length }).chain((usernames) =>
    fc.tuple(
      ...usernames.map((username) =>
        fc.record({ id: fc.constant(`id-${username}`), username: fc.constant(username), groups: fc.subarray(groups), openReviews: fc.integer({ min: 0, max: 20 }) }),
      ),
    ),
  );
  const reviewsArb = (agents: string[]) =>
    fc.array(fc.record({ agent: fc.option(fc.constantFrom(...agents)), agentGroups: fc.subarray(groups) }), { maxLength: 40 }).map((drafts) => drafts.map((draft, i) => ({ key: `r${i}`, ...draft })));

  it('never breaks an exclusion, and settles every review exactly once', () => {
    fc.assert(
      fc.property(evaluatorsArb, reviewsArb([...names, 'zed']), fc.boolean(), (evaluators, toAssign, excludeOwnGroup) => {
        const plan = assignReviews(toAssign, evaluators, { excludeOwnGroup });
        const settled = [...plan.assignments.map((a) => a.key), ...plan.unassigned.map((u) => u.key)].sort();
        expect(settled).toEqual(toAssign.map((r) => r.key).sort());
        for (const { key, evaluatorId } of plan.assignments) {
          const given = toAssign.find((r) => r.key === key)!;
          const chosen = evaluators.find((e) => e.id === evaluatorId)!;
          expect(chosen.username).not.toBe(given.agent);
          if (excludeOwnGroup) expect(chosen.groups.filter((g) => given.agentGroups.includes(g))).toEqual([]);
        }
        expect(Object.keys(plan.assignedPerEvaluator).sort()).toEqual(evaluators.map((e) => e.id).sort());
        expect(Object.values(plan.assignedPerEvaluator).reduce((sum, n) => sum + n, 0)).toBe(plan.assignments.length);
      }),
      { numRuns: 1_000 },
    );
  });

  it('with nothing excluded, never leaves loads further apart than they started (or one apart)', () => {
    fc.assert(
      fc.property(
        evaluatorsArb.filter((evaluators) => evaluators.length > 0),
        reviewsArb(['agent-x', 'agent-y']),
        (evaluators, toAssign) => {
          const plan = assignReviews(toAssign, evaluators, noExclusion);
          expect(plan.unassigned).toEqual([]);
          const initial = evaluators.map((e) => e.openReviews);
          const final = evaluators.map((e) => e.openReviews + plan.assignedPerEvaluator[e.id]!);
          expect(Math.max(...final) - Math.min(...final)).toBeLessThanOrEqual(Math.max(1, Math.max(...initial) - Math.min(...initial)));
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
