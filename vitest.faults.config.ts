import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the long form of the fault-injection suite (test/faults/injection.test.ts);
 * `npm run test:faults:short` the short one. It starts its own Temporal dev server, database and engine
 * processes: no global setup.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/faults/injection.test.ts'],
    env: { FAULTS_SCALE: process.env.FAULTS_SCALE ?? 'long' },
    testTimeout: 1_200_000,
    hookTimeout: 120_000,
  },
});
