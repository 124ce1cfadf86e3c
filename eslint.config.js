import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'drizzle/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflows must replay deterministically: no I/O libraries, no Node built-ins, only types of activities.
    files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'pg', 'drizzle-orm', 'nodemailer', 'hono', '@temporalio/client', '@temporalio/worker', '@temporalio/activity', 'mailparser'].map(
            (name) => ({ name, message: 'Workflow and domain code stays pure: do I/O in an activity.', allowTypeImports: true }),
          ),
          patterns: [
            { group: ['drizzle-orm/*', 'hono/*', '@hono/*', 'pg-*'], message: 'Workflow and domain code stays pure: do I/O in an activity.' },
            { group: ['**/activities/*', '**/db/*', '**/api/*', '**/lib/*'], allowTypeImports: true, message: 'Only types of activities, db and api may be imported here.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Read configuration in src/config.ts.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env.' }],
    },
  },
);
