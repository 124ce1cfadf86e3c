import { defineConfig } from 'vitest/config';

/**
 * `npm run test:stack`: the production topology (scripts/stack.ts) under failure. Apart from `npm test`: it
 * builds the full Temporal server once (many minutes) and runs five processes for a few minutes.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/stack/**/*.test.ts'],
    // The first run may build the Temporal server before anything starts.
    hookTimeout: 1_800_000,
    testTimeout: 300_000,
  },
});
