import fc from 'fast-check';

/**
 * One fixed seed for `npm test`, so a failure reproduces; `npm run test:property:long` asks for a fresh
 * one (FC_SEED=random, printed) and more runs. fast-check prints the seed and the shrunk counterexample on
 * failure; FC_SEED=<that seed> replays it.
 */
function seedOf(given: string | undefined): number {
  if (given !== 'random') return Number(given ?? 20261204);
  const seed = Math.floor(Math.random() * 2 ** 31);
  console.log(`fast-check seed ${seed} (FC_SEED=${seed} replays this run)`);
  return seed;
}

export const PROPERTY_SEED = seedOf(process.env.FC_SEED);
export const PROPERTY_RUNS = Number(process.env.FC_RUNS ?? 100);

fc.configureGlobal({ seed: PROPERTY_SEED, numRuns: PROPERTY_RUNS });

/** A run count scaled from the global one, for properties each run of which costs HTTP requests. */
export function runsOf(fraction: number, atLeast = 1): number {
  return Math.max(atLeast, Math.round(PROPERTY_RUNS * fraction));
}

export { fc };
