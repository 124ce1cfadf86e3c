import type { RetentionView } from '../../retention/retention-decisions.js';

/** One conversation's lifecycle, merged from its audit history and its workflow's own event history. */
export interface TraceActor {
  type: string;
  id: string;
  username: string;
  fullName: string;
}

export interface TraceStep {
  /** UTC with microseconds; steps are ordered by it. */
  at: string;
  /** The same instant in the requested time zone. */
  date: string;
  source: 'audit' | 'workflow';
  /** `CONVERSATION_CAPTURED`, `update placeLegalHold completed`, `activity storeContactRecord scheduled`, ... */
  step: string;
  description: string;
  actor: TraceActor | null;
  /** OK, FAIL or UNAUTHORIZED for audit entries; OK or FAIL for completions in the workflow; otherwise null. */
  result: string | null;
  correlationId: string | null;
  audit: { id: string; chainSeq: number; activity: string; module: string; phase: string; details: Record<string, unknown> } | null;
  workflow: { workflowId: string; runId: string; eventId: number; name: string | null } | null;
}

/** A step before it is given the reader's time zone. */
export type WorkflowStep = Omit<TraceStep, 'date'>;

/** What the workflow side of a trace contributes: its runs and their steps. */
export interface WorkflowHistoryRead {
  trace: WorkflowHistoryTrace;
  steps: WorkflowStep[];
}

export interface TraceRun {
  runId: string;
  startedAt: string | null;
  /** False when Temporal no longer holds this run's history (namespace retention). */
  historyAvailable: boolean;
  events: number;
}

export interface WorkflowHistoryTrace {
  workflowId: string;
  runs: TraceRun[];
  /** Said when some or all of the workflow history could not be read; the audit history still stands. */
  note: string | null;
}

export interface ConversationTrace {
  conversationId: string;
  /** The conversations row (a tombstone after deletion); null if only audit entries remain. */
  conversation: {
    source: string;
    externalKey: string;
    channel: string;
    lifecycleState: string;
    startedAt: string | null;
    endedAt: string | null;
    createdAt: string;
    deletedAt: string | null;
    protectedUntil: string | null;
    deleteDueAt: string | null;
    workflowId: string;
  } | null;
  /** One sentence: where the conversation stands, or how it ended. */
  outcome: string;
  /** Why it is kept now, or that it may go: the retention overview's decision; null if only audit entries remain. */
  retention: RetentionView | null;
  workflow: WorkflowHistoryTrace;
  timeZone: string;
  steps: TraceStep[];
}
