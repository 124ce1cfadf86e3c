import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/domain/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/property/domain/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // test/stack runs the production topology on its own: `npm run test:stack` (vitest.stack.config.ts).
          // The fault-injection suite restarts processes for minutes and loads the machine for every other
          // file running beside it: `npm run test:faults` / `test:faults:short` (vitest.faults.config.ts).
          exclude: ['test/domain/**', 'test/unit/**', 'test/stack/**', 'test/property/domain/**', 'test/faults/injection.test.ts'],
          // One Temporal dev server, one PostgreSQL database and one workflow bundle per run.
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
