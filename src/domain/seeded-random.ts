/**
 * Randomness from a string seed, so that re-running the same plan for the same period makes the same
 * choices. Not for anything secret: mulberry32 is fast and well spread, not unpredictable.
 */
export type Random = () => number;

/** A 32-bit hash of the seed (xmur3's mixing), so that seeds differing in one character start far apart. */
function hashSeed(seed: string): number {
  let hash = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    hash = Math.imul(hash ^ seed.charCodeAt(i), 3432918353);
    hash = (hash << 13) | (hash >>> 19);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 2246822507);
  hash = Math.imul(hash ^ (hash >>> 13), 3266489909);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: string): Random {
  let state = hashSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
function randomIndex(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A new array in an order drawn from `random` (Fisher–Yates); `items` is left as it was. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
