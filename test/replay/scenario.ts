import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import type { Harness } from '../support/harness.js';
import { eventually } from '../support/lifecycle.js';

/** One history a scenario asks the recorder to save. */
export interface RecordedWorkflow {
  workflowId: string;
  /** A particular run (e.g. the first of a chain that continued-as-new); the latest run when left out. */
  runId?: string;
  /** Appended to the file name (`<label>--<scenario>--<part>.json`) when a scenario saves several histories. */
  part?: string;
}

/** Drives the API (or starts a workflow) and names the workflows whose histories are worth keeping. */
export type Scenario = (harness: Harness) => Promise<RecordedWorkflow[]>;

export const lifecycleOf = (conversationId: string): RecordedWorkflow => ({ workflowId: conversationWorkflowId(conversationId) });

export async function deletedEventually(harness: Harness, conversationId: string): Promise<void> {
  await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined));
}

/** Where the recorder saves a history, and replay.test.ts finds it. */
export function historyFileName(label: string, scenario: string, recorded: RecordedWorkflow): string {
  return `${label}--${scenario}${recorded.part ? `--${recorded.part}` : ''}.json`;
}
