import type { Client, WorkflowHandle } from '@temporalio/client';
import type { PayloadConverter } from '@temporalio/common';
import type { TraceActor, WorkflowStep } from '../audit/read/trace-types.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
export type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = { payloads?: unknown[] | null } | null | undefined;


/** Protobuf int64 fields arrive as Long objects or numbers. */
function int(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(String(value));
}

/** UTC with microseconds, the same form audit entries carry, so both sources sort together. */
export function timestampText(time: { seconds?: unknown; nanos?: number | null } | null | undefined): string {
  const seconds = int(time?.seconds);
  const micros = Math.floor((time?.nanos ?? 0) / 1000);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, `.${String(micros).padStart(6, '0')}Z`);
}

function durationText(duration: { seconds?: unknown; nanos?: number | null } | null | undefined): string {
  let seconds = int(duration?.seconds);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join(' ');
}

/**
 * Lifecycle updates and signals carry the request's context (who asked, and the request id) as their first
 * argument; reading it here shows who did what without knowing each update.
 */
function requestContextOf(converter: PayloadConverter, args: Payloads): { actor: TraceActor; correlationId: string | null } | undefined {
  const first = args?.payloads?.[0];
  if (!first) return undefined;
  try {
    const value = converter.fromPayload<{ context?: { actor?: Partial<TraceActor>; correlationId?: unknown } }>(first as never);
    const actor = value?.context?.actor;
    if (!actor || typeof actor.id !== 'string') return undefined;
    return {
      actor: { type: String(actor.type ?? 'user'), id: actor.id, username: String(actor.username ?? actor.id), fullName: String(actor.fullName ?? actor.id) },
      correlationId: typeof value.context?.correlationId === 'string' ? value.context.correlationId : null,
    };
  } catch {
    // An encrypted or foreign payload: the step is still shown, without its requester.
    return undefined;
  }
}

/**
 * A review or training step signal names the step it tells (`completed`, `dispute-rejected`, `passed`, ...):
 * the trace says which.
 */
function toldStepOf(converter: PayloadConverter, args: Payloads): string | undefined {
  const first = args?.payloads?.[0];
  if (!first) return undefined;
  try {
    const value = converter.fromPayload<{ step?: unknown; reviewId?: unknown; assignmentId?: unknown }>(first as never);
    if (typeof value?.step !== 'string') return undefined;
    if (typeof value.reviewId === 'string' && typeof value.assignmentId !== 'string') return `review ${value.reviewId} ${value.step}`;
    if (typeof value.assignmentId === 'string') return `training ${value.assignmentId} ${value.step}`;
    return undefined;
  } catch {
    return undefined;
  }
}

function clientActor(identity: string | null | undefined): TraceActor | null {
  return identity ? { type: 'system', id: identity, username: identity, fullName: `Temporal client ${identity}` } : null;
}

export function payloadConverterOf(client: Client): PayloadConverter {
  return client.options.loadedDataConverter.payloadConverter;
}

/**
 * The readable steps of one run: start, updates and signals (with who sent them), activities, timers,
 * continue-as-new and the end. Workflow tasks and markers are engine bookkeeping and are left out.
 */
export function historySteps(events: readonly HistoryEvent[], run: { workflowId: string; runId: string }, converter: PayloadConverter): WorkflowStep[] {
  const self: TraceActor = { type: 'workflow', id: `${run.workflowId}/${run.runId}`, username: run.workflowId, fullName: `workflow run ${run.runId}` };
  const activityTypes = new Map<number, string>();
  const updates = new Map<string, { name: string; actor: TraceActor | null; correlationId: string | null }>();
  const steps: WorkflowStep[] = [];

  const add = (event: HistoryEvent, step: string, description: string, extra: Partial<WorkflowStep> & { name?: string | null } = {}) => {
    const { name = null, ...rest } = extra;
    steps.push({
      at: timestampText(event.eventTime),
      source: 'workflow',
      step,
      description,
      actor: self,
      result: null,
      correlationId: null,
      audit: null,
      workflow: { workflowId: run.workflowId, runId: run.runId, eventId: int(event.eventId), name },
      ...rest,
    });
  };

  for (const event of events) {
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      const from = started.continuedExecutionRunId;
      add(event, 'workflow started', `${started.workflowType?.name ?? 'workflow'} run ${run.runId} started${from ? `, continuing run ${from}` : ''}`, {
        actor: from ? self : clientActor(started.identity),
      });
      continue;
    }
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const name = accepted.acceptedRequest?.input?.name ?? 'update';
      const requester = requestContextOf(converter, accepted.acceptedRequest?.input?.args);
      const actor = requester?.actor ?? clientActor(accepted.acceptedRequest?.meta?.identity);
      updates.set(accepted.acceptedRequest?.meta?.updateId ?? accepted.protocolInstanceId ?? '', { name, actor, correlationId: requester?.correlationId ?? null });
      add(event, `update ${name} accepted`, `Update ${name} accepted`, { actor, correlationId: requester?.correlationId ?? null, name });
      continue;
    }
    const completed = event.workflowExecutionUpdateCompletedEventAttributes;
    if (completed) {
      const update = updates.get(completed.meta?.updateId ?? '');
      const name = update?.name ?? 'update';
      const failure = completed.outcome?.failure;
      add(event, `update ${name} ${failure ? 'failed' : 'completed'}`, failure ? `Update ${name} failed: ${failure.message ?? ''}` : `Update ${name} completed`, {
        actor: update?.actor ?? null,
        correlationId: update?.correlationId ?? null,
        result: failure ? 'FAIL' : 'OK',
        name,
      });
      continue;
    }
    const signaled = event.workflowExecutionSignaledEventAttributes;
    if (signaled) {
      const requester = requestContextOf(converter, signaled.input);
      const told = toldStepOf(converter, signaled.input);
      add(event, `signal ${signaled.signalName ?? ''} received`, `Signal ${signaled.signalName ?? ''} received${told ? `: ${told}` : ''}`, {
        actor: requester?.actor ?? clientActor(signaled.identity),
        correlationId: requester?.correlationId ?? null,
        name: signaled.signalName ?? null,
      });
      continue;
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? 'activity';
      activityTypes.set(int(event.eventId), type);
      add(event, `activity ${type} scheduled`, `Activity ${type} scheduled`, { name: type });
      continue;
    }
    const activityEnd =
      (event.activityTaskCompletedEventAttributes && { outcome: 'completed', attributes: event.activityTaskCompletedEventAttributes, failure: null }) ||
      (event.activityTaskFailedEventAttributes && { outcome: 'failed', attributes: event.activityTaskFailedEventAttributes, failure: event.activityTaskFailedEventAttributes.failure }) ||
      (event.activityTaskTimedOutEventAttributes && { outcome: 'timed out', attributes: event.activityTaskTimedOutEventAttributes, failure: event.activityTaskTimedOutEventAttributes.failure }) ||
      (event.activityTaskCanceledEventAttributes && { outcome: 'canceled', attributes: event.activityTaskCanceledEventAttributes, failure: null });
    if (activityEnd) {
      const type = activityTypes.get(int(activityEnd.attributes.scheduledEventId)) ?? 'activity';
      const ok = activityEnd.outcome === 'completed';
      add(event, `activity ${type} ${activityEnd.outcome}`, `Activity ${type} ${activityEnd.outcome}${activityEnd.failure?.message ? `: ${activityEnd.failure.message}` : ''}`, {
        result: ok ? 'OK' : 'FAIL',
        name: type,
      });
      continue;
    }
    if (event.timerStartedEventAttributes) {
      add(event, 'timer started', `Timer ${event.timerStartedEventAttributes.timerId ?? ''} started for ${durationText(event.timerStartedEventAttributes.startToFireTimeout)}`);
      continue;
    }
    if (event.timerFiredEventAttributes) {
      add(event, 'timer fired', `Timer ${event.timerFiredEventAttributes.timerId ?? ''} fired`);
      continue;
    }
    if (event.timerCanceledEventAttributes) {
      add(event, 'timer canceled', `Timer ${event.timerCanceledEventAttributes.timerId ?? ''} canceled`);
      continue;
    }
    if (event.workflowExecutionContinuedAsNewEventAttributes) {
      add(event, 'continued as new', `Continued as new run ${event.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId ?? ''}`);
      continue;
    }
    if (event.workflowExecutionCompletedEventAttributes) {
      add(event, 'workflow completed', `Workflow run ${run.runId} completed`, { result: 'OK' });
      continue;
    }
    if (event.workflowExecutionFailedEventAttributes) {
      add(event, 'workflow failed', `Workflow run ${run.runId} failed: ${event.workflowExecutionFailedEventAttributes.failure?.message ?? ''}`, { result: 'FAIL' });
      continue;
    }
    if (event.workflowExecutionTerminatedEventAttributes) {
      const terminated = event.workflowExecutionTerminatedEventAttributes;
      add(event, 'workflow terminated', `Workflow run ${run.runId} terminated: ${terminated.reason ?? ''}`, { actor: clientActor(terminated.identity), result: 'FAIL' });
      continue;
    }
    if (event.workflowExecutionCanceledEventAttributes) {
      add(event, 'workflow canceled', `Workflow run ${run.runId} canceled`, { result: 'FAIL' });
      continue;
    }
    if (event.workflowExecutionTimedOutEventAttributes) {
      add(event, 'workflow timed out', `Workflow run ${run.runId} timed out`, { result: 'FAIL' });
    }
  }
  return steps;
}
