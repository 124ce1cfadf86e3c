import type { PeriodWindow } from './review-periods.js';
import { seededRandom, shuffled, type Random } from './seeded-random.js';

/** `preferred`: it matches the questionnaire's call selection rules. */
export interface SamplingCandidate {
  conversationId: string;
  startedAt: Date;
  preferred: boolean;
}

export interface AgentSample {
  selected: string[];
  /** How many the target still lacks after this sample; 0 when it is met. */
  shortfall: number;
}

const byStartThenId = (a: SamplingCandidate, b: SamplingCandidate) =>
  a.startedAt.getTime() - b.startedAt.getTime() || (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0);

/**
 * One candidate per id in (startedAt, id) order, so that the order they were loaded in changes nothing.
 * A duplicated id is preferred if any copy is, and started when its earliest copy did.
 */
function distinctCandidates(candidates: readonly SamplingCandidate[]): SamplingCandidate[] {
  const byId = new Map<string, SamplingCandidate>();
  for (const candidate of [...candidates].sort(byStartThenId)) {
    const seen = byId.get(candidate.conversationId);
    if (!seen) byId.set(candidate.conversationId, candidate);
    else if (candidate.preferred && !seen.preferred) byId.set(candidate.conversationId, { ...seen, preferred: true });
  }
  return [...byId.values()];
}

/** The slot of `slots` equal slots of the window a candidate started in; one outside it belongs to the nearest. */
function slotOf(candidate: SamplingCandidate, window: PeriodWindow, slots: number): number {
  const length = window.end.getTime() - window.start.getTime();
  if (!(length > 0)) return 0;
  const slot = Math.floor(((candidate.startedAt.getTime() - window.start.getTime()) / length) * slots);
  return Math.min(slots - 1, Math.max(0, slot));
}

/** The slot nearest to `from` that still has candidates beyond its quota; a tie between two sides is drawn. */
function nearestWithSpare(from: number, quotas: number[], pools: SamplingCandidate[][], random: Random): number {
  const hasSpare = (slot: number) => slot >= 0 && slot < pools.length && pools[slot]!.length > quotas[slot]!;
  for (let distance = 1; distance < pools.length; distance++) {
    const earlier = hasSpare(from - distance);
    const later = hasSpare(from + distance);
    if (earlier && later) return random() < 0.5 ? from - distance : from + distance;
    if (earlier) return from - distance;
    if (later) return from + distance;
  }
  throw new Error('no slot has candidates to spare: more picks than candidates');
}

/** `picks` of `pool` (more candidates than picks), one per equal slot of the window, a slot without candidates lending its pick. */
function spreadOverWindow(pool: SamplingCandidate[], picks: number, window: PeriodWindow, random: Random): SamplingCandidate[] {
  if (picks === 0) return [];
  const pools: SamplingCandidate[][] = Array.from({ length: picks }, () => []);
  for (const candidate of pool) pools[slotOf(candidate, window, picks)]!.push(candidate);
  const quotas = pools.map(() => 1);
  for (let slot = 0; slot < picks; slot++) {
    while (quotas[slot]! > pools[slot]!.length) {
      quotas[slot]!--;
      quotas[nearestWithSpare(slot, quotas, pools, random)]!++;
    }
  }
  return pools.flatMap((slotPool, slot) => shuffled(slotPool, random).slice(0, quotas[slot]).sort(byStartThenId));
}

/** Whole picks only; a count that is not a number asks for none. */
function picksWanted(target: number, alreadySelected: number): number {
  const wanted = Math.floor(target - alreadySelected);
  return wanted > 0 ? wanted : 0;
}

/**
 * Picks up to `target - alreadySelected` of one agent's candidates: preferred ones first (in seeded random
 * order), then fills randomly from the rest, spread evenly over the window: the window is cut into as many
 * equal slots as picks remain, one pick per slot from the candidates that started in it; a slot without
 * candidates lends its pick to the nearest slots that have some left.
 * Never returns an id twice, never more than asked; shortfall = how many the target still lacks after this (0 when met).
 */
export function sampleForAgent(input: {
  candidates: readonly SamplingCandidate[];
  target: number;
  alreadySelected: number;
  window: PeriodWindow;
  seed: string;
}): AgentSample {
  const wanted = picksWanted(input.target, input.alreadySelected);
  const random = seededRandom(input.seed);
  const candidates = distinctCandidates(input.candidates);
  const preferred = shuffled(
    candidates.filter((candidate) => candidate.preferred),
    random,
  ).slice(0, wanted);
  const rest = candidates.filter((candidate) => !candidate.preferred);
  const fillCount = Math.min(wanted - preferred.length, rest.length);
  const fill = fillCount < rest.length ? spreadOverWindow(rest, fillCount, input.window, random) : rest;
  const selected = [...preferred, ...fill].map((candidate) => candidate.conversationId);
  return { selected, shortfall: Math.max(0, wanted - selected.length) };
}
