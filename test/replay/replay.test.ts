import fs from 'node:fs';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils.js';
import { DefaultLogger, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import ts from 'typescript';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { CONVERSATION_LIFECYCLE_WORKFLOW } from '../../src/workflows/conversation-lifecycle.contract.js';

/** Every saved history must replay on the current workflow code: a change that would break running workflows fails here. */
const folder = new URL('./histories/', import.meta.url);
const files = fs.readdirSync(folder).filter((file) => file.endsWith('.json')).sort();
const histories = new Map<string, History>(files.map((file) => [file, historyFromJSON(JSON.parse(fs.readFileSync(new URL(file, folder), 'utf8')))]));

const started = (history: History) => history.events?.[0]?.workflowExecutionStartedEventAttributes;

/**
 * The workflow types the worker registers: the names the bundle's entry exports. Read from the source, not
 * imported, so the test never loads workflow bodies outside the workflow sandbox.
 */
function registeredWorkflowTypes(): string[] {
  const entry = new URL('../../src/workflows/index.ts', import.meta.url);
  const source = ts.createSourceFile(entry.pathname, fs.readFileSync(entry, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((statement) => {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause || !ts.isNamedExports(statement.exportClause)) {
        throw new Error(`src/workflows/index.ts: list workflows by name, not with \`${statement.getText(source)}\`, so this test can tell them`);
      }
      return statement.isTypeOnly ? [] : statement.exportClause.elements.filter((element) => !element.isTypeOnly).map((element) => element.name.text);
    }
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    return exported && ts.isFunctionDeclaration(statement) && statement.name ? [statement.name.text] : [];
  });
}

describe('replay of saved workflow histories', () => {
  const results = new Map<string, ReplayResult>();

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const workflowBundle = { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') };
    // One replay worker for all of them; each history is named by its file.
    const replayed = Worker.runReplayHistories({ workflowBundle, replayName: 'saved-histories' }, [...histories].map(([workflowId, history]) => ({ workflowId, history })));
    for await (const result of replayed) results.set(result.workflowId, result);
  });

  it('has a saved history of every workflow type the worker registers', () => {
    const registered = registeredWorkflowTypes();
    expect(registered).toContain(CONVERSATION_LIFECYCLE_WORKFLOW);
    const saved = new Set([...histories.values()].map((history) => started(history)?.workflowType?.name));
    const missing = registered.filter((type) => !saved.has(type));
    expect(missing, 'workflow types without a saved history: add a scenario to test/replay and record it (record-histories.test.ts)').toEqual([]);
  });

  it('has a lifecycle that continued-as-new, and the run it continued into', () => {
    const lifecycles = [...histories.values()].filter((history) => started(history)?.workflowType?.name === CONVERSATION_LIFECYCLE_WORKFLOW);
    expect(lifecycles.some((history) => history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes)).toBe(true);
    expect(lifecycles.some((history) => started(history)?.continuedExecutionRunId)).toBe(true);
  });

  it.each(files)('%s replays without nondeterminism', (file) => {
    const result = results.get(file);
    expect(result, `${file} was not replayed`).toBeDefined();
    if (result?.error) throw result.error;
  });
});
