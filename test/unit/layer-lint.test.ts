import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js (and ../shared/STYLE.md), tried on code that crosses each layer.
 * Type-aware rules are switched off here: they need the file in the TypeScript project, and these files are made up.
 */
const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
  },
});

/** The lines of `code` (1-based) that the layer rules refuse, were it the file at `file`. */
async function refusedLines(file: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.line);
}

describe('layer rules', () => {
  it('let workflows import only the SDK, workflow modules and contracts, src/domain, and types', async () => {
    const code = [
      "import pg from 'pg';",
      "import { createActivities } from '../activities/index.js';",
      "import type { Activities } from '../activities/index.js';",
      "import { FailureType } from '../domain/failures.js';",
      "import { DELETE_RUN_WORKFLOW } from './delete-run.contract.js';",
      "import { sleep } from '@temporalio/workflow';",
      "import { conversationIdFor } from '../lib/ids.js';",
      'export const used = [pg, createActivities, FailureType, DELETE_RUN_WORKFLOW, sleep, conversationIdFor];',
      'export type Used = Activities;',
    ].join('\n');
    expect(await refusedLines('src/workflows/violation.ts', code)).toEqual([1, 2, 7]);
  });

  it('apply the same allow-list inside the lifecycle handler modules', async () => {
    const code = [
      "import { conversationIdFor } from '../../lib/ids.js';",
      "import { lifecycleStateQuery } from '../conversation-lifecycle.contract.js';",
      "import { FailureType } from '../../domain/failures.js';",
      "import { recordStep } from './steps.js';",
      'export const used = [conversationIdFor, lifecycleStateQuery, FailureType, recordStep];',
    ].join('\n');
    expect(await refusedLines('src/workflows/lifecycle/violation.ts', code)).toEqual([1]);
  });

  it('refuse activities in the API', async () => {
    const code = ["import { retentionActivities } from '../../activities/retention.js';", "import { ProblemError } from '../problem.js';", 'export const used = [retentionActivities, ProblemError];'].join('\n');
    expect(await refusedLines('src/api/some-resource/handlers.ts', code)).toEqual([1]);
  });

  it('keep src/domain free of I/O and of the layers above it', async () => {
    const code = ["import { uuidV5 } from '../lib/ids.js';", "import fs from 'node:fs';", "import { z } from 'zod';", "import { decideRetention } from './retention.js';", 'export const used = [uuidV5, fs, z, decideRetention];'].join('\n');
    expect(await refusedLines('src/domain/violation.ts', code)).toEqual([1, 2]);
  });

  it('keep services free of Temporal, the API and workflow code (contract types are plain data)', async () => {
    const code = [
      "import { Client } from '@temporalio/client';",
      "import { ProblemError } from '../api/problem.js';",
      "import { conversationWorkflowId } from '../workflows/conversation-lifecycle.contract.js';",
      "import type { LegalHoldChange } from '../workflows/conversation-lifecycle.contract.js';",
      "import { appendAudit } from '../audit/audit-writer.js';",
      'export const used = [Client, ProblemError, conversationWorkflowId, appendAudit];',
      'export type Used = LegalHoldChange;',
    ].join('\n');
    expect(await refusedLines('src/retention/violation.ts', code)).toEqual([1, 2, 3]);
  });
});
