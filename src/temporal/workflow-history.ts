import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historySteps, payloadConverterOf, timestampText, type HistoryEvent } from './history-events.js';
import type { TraceRun, WorkflowHistoryRead, WorkflowStep } from '../audit/read/trace-types.js';

/** gRPC NOT_FOUND: Temporal no longer has (or never had) this execution. */
const GRPC_NOT_FOUND = 5;

function isNotFound(error: unknown): boolean {
  return error instanceof WorkflowNotFoundError || (error as { code?: unknown } | null)?.code === GRPC_NOT_FOUND;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function latestRunId(client: Client, workflowId: string): Promise<string | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Runs visibility knows of; best effort, since visibility is eventually consistent and may be unavailable. */
async function visibleRunIds(client: Client, workflowId: string): Promise<string[]> {
  const runIds: string[] = [];
  try {
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId.replaceAll("'", "\\'")}'` })) runIds.push(execution.runId);
  } catch {
    // The continue-as-new chain below still finds every run of this execution chain.
  }
  return runIds;
}

async function runEvents(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[] | undefined> {
  try {
    return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Every run of the workflow and its steps. Runs are found by walking back the continue-as-new chain from
 * the latest run (each run's start names the run it continues), plus any other run visibility lists. A
 * run whose history Temporal no longer holds is listed as such; the trace never fails for it.
 */
export async function fetchWorkflowHistory(client: Client, workflowId: string): Promise<WorkflowHistoryRead> {
  const converter = payloadConverterOf(client);
  const runs: TraceRun[] = [];
  const steps: WorkflowStep[] = [];
  try {
    const latest = await latestRunId(client, workflowId);
    const pending = [...(latest ? [latest] : []), ...(await visibleRunIds(client, workflowId))];
    const seen = new Set<string>();
    for (let runId = pending.shift(); runId !== undefined; runId = pending.shift()) {
      if (seen.has(runId)) continue;
      seen.add(runId);
      const events = await runEvents(client, workflowId, runId);
      if (!events) {
        runs.push({ runId, startedAt: null, historyAvailable: false, events: 0 });
        continue;
      }
      const start = events[0];
      const previous = start?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (previous) pending.push(previous);
      runs.push({ runId, startedAt: start ? timestampText(start.eventTime) : null, historyAvailable: true, events: events.length });
      steps.push(...historySteps(events, { workflowId, runId }, converter));
    }
  } catch (error) {
    return { trace: { workflowId, runs, note: `The workflow history could not be read (${message(error)}); the audit history is shown.` }, steps };
  }
  runs.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  const missing = runs.filter((run) => !run.historyAvailable).length;
  let note: string | null = null;
  if (runs.length === 0) note = 'Temporal holds no history for this workflow: it was removed after the namespace retention period (or never started). The audit history is shown.';
  else if (missing > 0) note = `${missing} of ${runs.length} workflow runs are no longer held by Temporal (namespace retention); their steps are known from the audit history only.`;
  return { trace: { workflowId, runs, note }, steps };
}
