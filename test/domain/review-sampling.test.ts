import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleForAgent, type SamplingCandidate } from '../../src/domain/review-sampling.js';

const week = { start: new Date('2026-03-02T00:00:00Z'), end: new Date('2026-03-09T00:00:00Z') }; // Monday to Monday
const DAY = 24 * 3600 * 1000;
const on = (day: number, hour: number) => new Date(week.start.getTime() + day * DAY + hour * 3600 * 1000);
const candidate = (conversationId: string, startedAt: Date, preferred = false): SamplingCandidate => ({ conversationId, startedAt, preferred });
const many = (prefix: string, count: number, startedAt: (i: number) => Date, preferred = false) =>
  Array.from({ length: count }, (_, i) => candidate(`${prefix}${i}`, startedAt(i), preferred));
const sample = (candidates: readonly SamplingCandidate[], target: number, options: { alreadySelected?: number; seed?: string } = {}) =>
  sampleForAgent({ candidates, target, alreadySelected: options.alreadySelected ?? 0, window: week, seed: options.seed ?? 'plan-1:2026-03-02:alice' });
const seeds = Array.from({ length: 40 }, (_, i) => `seed-${i}`);

describe('sampling one agent’s conversations for review', () => {
  it('takes preferred conversations first, then fills from the rest', () => {
    const preferred = many('p', 3, (i) => on(i, 10), true);
    const others = many('o', 10, (i) => on(i % 7, 14));
    const candidates = [...others, ...preferred];
    expect(sample(candidates, 2).selected.every((id) => id.startsWith('p'))).toBe(true);
    const five = sample(candidates, 5);
    expect(five.selected.slice(0, 3).sort()).toEqual(['p0', 'p1', 'p2']);
    expect(five.selected.slice(3).every((id) => id.startsWith('o'))).toBe(true);
    expect(five).toMatchObject({ shortfall: 0 });
  });

  it('takes all there are when the target is larger, and reports the shortfall', () => {
    const candidates = [...many('o', 3, (i) => on(i, 9)), candidate('p', on(4, 9), true)];
    const result = sample(candidates, 10);
    expect(result.selected).toHaveLength(4);
    expect(new Set(result.selected)).toEqual(new Set(['o0', 'o1', 'o2', 'p']));
    expect(result.shortfall).toBe(6);
    expect(sample([], 5)).toEqual({ selected: [], shortfall: 5 });
  });

  it('counts what is already selected: a re-run after a full run picks nothing', () => {
    const candidates = many('o', 20, (i) => on(i % 7, 9 + i));
    expect(sample(candidates, 5, { alreadySelected: 3 }).selected).toHaveLength(2);
    expect(sample(candidates, 5, { alreadySelected: 5 })).toEqual({ selected: [], shortfall: 0 });
    expect(sample(candidates, 5, { alreadySelected: 8 })).toEqual({ selected: [], shortfall: 0 });
    expect(sample(candidates.slice(0, 1), 5, { alreadySelected: 2 })).toEqual({ selected: ['o0'], shortfall: 2 });
  });

  it('spreads the fill over the week instead of taking the busy Monday', () => {
    const monday = many('mon', 20, (i) => on(0, 8 + i / 4));
    const candidates = [...monday, candidate('wed', on(2, 10)), candidate('fri', on(4, 15)), candidate('sun', on(6, 12))];
    for (const seed of seeds) {
      const { selected } = sample(candidates, 4, { seed });
      expect(selected.filter((id) => id.startsWith('mon'))).toHaveLength(1);
      expect(selected.slice(1)).toEqual(['wed', 'fri', 'sun']);
    }
  });

  it('gives the pick of a slot without candidates to the nearest one that has some left', () => {
    // Four slots of 42 hours: the last (Saturday morning to Sunday) is empty, Friday's and Wednesday's have one each.
    const candidates = [...many('mon', 20, (i) => on(0, 8 + i / 4)), candidate('wed', on(2, 10)), candidate('fri', on(4, 15))];
    for (const seed of seeds) {
      const { selected } = sample(candidates, 4, { seed });
      expect(selected.filter((id) => id.startsWith('mon'))).toHaveLength(2);
      expect(selected.slice(2)).toEqual(['wed', 'fri']);
    }
  });

  it('puts a candidate outside the window in the nearest slot', () => {
    const candidates = [candidate('early', on(-1, 12)), ...many('sun', 10, (i) => on(6, 8 + i))];
    for (const seed of seeds) {
      const { selected } = sample(candidates, 2, { seed });
      expect(selected[0]).toBe('early');
      expect(selected[1]).toMatch(/^sun/);
    }
  });

  it('picks the same for the same seed whatever the candidates’ order, and differently for another seed', () => {
    const pool = [...many('p', 30, (i) => on(i % 7, 11), true), ...many('o', 200, (i) => on(i % 7, i % 24))];
    const first = sample(pool, 40);
    expect(sample([...pool].reverse(), 40)).toEqual(first);
    expect(sample(pool, 40, { seed: 'plan-1:2026-03-02:bob' })).not.toEqual(first);
    expect(sample(pool, 5, { seed: 'plan-1:2026-03-09:alice' }).selected).not.toEqual(sample(pool, 5).selected);
  });

  it('never selects a duplicated id twice, and treats it as preferred if any copy is', () => {
    const candidates = [candidate('a', on(1, 9)), candidate('a', on(3, 9), true), candidate('b', on(2, 9))];
    expect(sample(candidates, 1).selected).toEqual(['a']);
    expect(sample(candidates, 5)).toEqual({ selected: ['a', 'b'], shortfall: 3 });
  });

  it('keeps its promises for any candidates, target and window', () => {
    const candidateArb = fc.record({
      conversationId: fc.integer({ min: 0, max: 40 }).map((n) => `c${n}`),
      startedAt: fc.date({ min: on(-3, 0), max: on(10, 0), noInvalidDate: true }),
      preferred: fc.boolean(),
    });
    const windowArb = fc
      .tuple(fc.date({ min: on(-2, 0), max: on(5, 0), noInvalidDate: true }), fc.integer({ min: 0, max: 14 * DAY }))
      .map(([start, length]) => ({ start, end: new Date(start.getTime() + length) }));
    fc.assert(
      fc.property(
        fc.array(candidateArb, { maxLength: 60 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        windowArb,
        fc.string(),
        (candidates, target, alreadySelected, window, seed) => {
          const { selected, shortfall } = sampleForAgent({ candidates, target, alreadySelected, window, seed });
          const ids = new Set(candidates.map((c) => c.conversationId));
          const wanted = Math.max(0, target - alreadySelected);
          expect(new Set(selected).size).toBe(selected.length);
          expect(selected.every((id) => ids.has(id))).toBe(true);
          expect(selected).toHaveLength(Math.min(wanted, ids.size));
          expect(shortfall).toBe(Math.max(0, wanted - selected.length));
          expect(sampleForAgent({ candidates: [...candidates].reverse(), target, alreadySelected, window, seed })).toEqual({ selected, shortfall });
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
