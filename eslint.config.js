import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const IO_PACKAGES = ['pg', 'drizzle-orm', 'nodemailer', 'hono', 'mailparser', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];
const SERVICE_FOLDERS = ['audit', 'identity', 'media', 'search', 'legal-holds', 'tags', 'retention', 'recording-rules', 'recordings', 'reviews', 'training', 'exports', 'notify', 'lib'];
const WORKFLOW_MESSAGE = 'Workflows import only @temporalio/workflow, @temporalio/common, workflow modules and contracts, src/domain, and types (import type) of the rest.';

/** A regex matching every import a workflow module may not make; `allowedRelative` names the relative ones it may. */
function workflowImportsOutside(allowedRelative) {
  return `^(?!@temporalio/workflow$|@temporalio/common$|\\./|${allowedRelative})`;
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'drizzle/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
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
    // Domain code is pure: no I/O library, no Node built-in, nothing from the layers above it.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...IO_PACKAGES].map((name) => ({ name, message: 'src/domain stays pure: do I/O in a service or an activity.' })),
          patterns: [
            { group: ['drizzle-orm/*', 'hono/*', '@hono/*', '@temporalio/*', 'pg-*'], message: 'src/domain stays pure: do I/O in a service or an activity.' },
            { regex: '^\\.\\./', message: 'src/domain imports only src/domain (and zod).' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'Read configuration in src/config.ts.' }],
    },
  },
  {
    // Workflows must replay deterministically. An allow-list: the workflow SDK, other workflow modules and
    // contracts, src/domain, and types (import type) of anything else.
    files: ['src/workflows/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: workflowImportsOutside('\\.\\./domain/'), allowTypeImports: true, message: WORKFLOW_MESSAGE }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Read configuration in src/config.ts.' }],
    },
  },
  {
    files: ['src/workflows/*/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: workflowImportsOutside('\\.\\./[^/]+$|^\\.\\./\\.\\./domain/'), allowTypeImports: true, message: WORKFLOW_MESSAGE }] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'Read configuration in src/config.ts.' }],
    },
  },
  {
    // The API calls services, and workflows through their contracts; activities are the worker's.
    files: ['src/api/**/*.ts', 'src/console/**/*.ts', 'src/console/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/activities/**', '**/activities'], message: 'The API never imports activities: call the service in src/<capability>/ they adapt.' }] }],
    },
  },
  {
    // Services: database work for one capability, with no Temporal, API or activities (types of contracts are plain data).
    files: SERVICE_FOLDERS.map((folder) => `src/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@temporalio/*'], allowTypeImports: true, message: 'Services do not use Temporal: that is src/temporal/, activities and workflows.' },
            { group: ['**/api/**', '**/activities/**', '**/activities'], message: 'Services never import the API or activities.' },
            { group: ['**/workflows/**', '!**/workflows/*.contract.js'], message: 'Services import at most the types of workflow contracts.' },
            { group: ['**/workflows/*.contract.js'], allowTypeImports: true, message: 'Services import at most the types of workflow contracts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/config.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env.' }],
    },
  },
);
