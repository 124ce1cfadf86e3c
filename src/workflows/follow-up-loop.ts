import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, setHandler, workflowInfo, type SignalDefinition } from '@temporalio/workflow';
import { conversationWorkflowId } from './conversation-lifecycle.contract.js';
import type { FollowUpInput, FollowUpResult } from './follow-up.contract.js';

/** A step of a review or training assignment that the reviewed conversation's lifecycle records. */
export interface FollowUpLifecycleStep {
  eventId: number;
  conversationId: string;
  step: string;
  detail: Record<string, unknown>;
}

/** What one look at the record (review or assignment) tells its follow-up: plain data with ISO times. */
export interface FollowUpView<Ended extends string> {
  lifecycleSteps: FollowUpLifecycleStep[];
  lastEventId: number;
  more: boolean;
  remindAt: string | null;
  dueAt: string | null;
  ended: Ended | null;
}

/** The activities and signals that make the loop a review's or a training assignment's follow-up. */
export interface FollowUpParts<Ended extends string, Payload> {
  /** The record changed in PostgreSQL: look again. */
  changed: SignalDefinition<[]>;
  view(afterEventId: number): Promise<FollowUpView<Ended>>;
  /** The signal (to `conversation-<id>`) that tells the conversation's lifecycle one step, and its payload. */
  lifecycleSignal: SignalDefinition<[Payload]>;
  lifecyclePayload(step: FollowUpLifecycleStep): Payload;
  markForwarded(eventId: number): Promise<void>;
  markDue(mark: 'reminder' | 'overdue'): Promise<boolean>;
  /** Look again at least this often, so a lost poke delays a step by this much at most. */
  wakeMs: number;
}

export type FollowUpOutcome<Ended extends string> = { ended: Ended; forwardedEventId: number } | { continueAsNew: true; forwardedEventId: number };

/**
 * The durable follow-up of a record with an outbox of steps (review_events, training_events): tells the
 * reviewed conversation's lifecycle each step, reminds before the due time and reports overdue after it,
 * surviving restarts. Returns when the record needs nothing more, or when the history should continue
 * as new (the caller does that, with the returned position).
 */
export async function runFollowUp<Ended extends string, Payload>(parts: FollowUpParts<Ended, Payload>, startAfterEventId: number): Promise<FollowUpOutcome<Ended>> {
  let forwardedEventId = startAfterEventId;
  let poked = false;
  setHandler(parts.changed, () => void (poked = true));

  for (;;) {
    poked = false;
    const view = await parts.view(forwardedEventId);
    for (const step of view.lifecycleSteps) {
      try {
        await getExternalWorkflowHandle(conversationWorkflowId(step.conversationId)).signal(parts.lifecycleSignal, parts.lifecyclePayload(step));
      } catch {
        // The lifecycle has ended (its conversation was deleted): the audit log and the record's history keep the step.
      }
    }
    if (view.lastEventId > forwardedEventId) {
      forwardedEventId = view.lastEventId;
      await parts.markForwarded(forwardedEventId);
    }
    if (view.more) continue;
    // A poke that came while looking may carry a step this view missed: look once more before ending.
    if (view.ended && !poked) return { ended: view.ended, forwardedEventId };
    if (view.ended) continue;

    const now = Date.now();
    const remindAt = view.remindAt ? Date.parse(view.remindAt) : Number.POSITIVE_INFINITY;
    const dueAt = view.dueAt ? Date.parse(view.dueAt) : Number.POSITIVE_INFINITY;
    if (remindAt <= now || dueAt <= now) {
      // Once overdue, a reminder that it is due soon has nothing left to say.
      const marked = await parts.markDue(dueAt <= now ? 'overdue' : 'reminder');
      // Not marked: the record changed meanwhile, or the database's clock is a little behind this one.
      if (!marked) await condition(() => poked, 1000);
      continue;
    }
    await condition(() => poked, Math.max(1, Math.min(remindAt, dueAt, now + parts.wakeMs) - now));
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      return { continueAsNew: true, forwardedEventId };
    }
  }
}

/**
 * The workflow function of one kind of follow-up (a review's, a training assignment's), registered as
 * `workflowType`: it runs the loop for the record whose id its input carries under `idKey` and continues
 * as new with the same input shape.
 */
export function followUpWorkflow<Key extends string, Ended extends string, Payload>(
  workflowType: string,
  idKey: Key,
  partsFor: (id: string) => FollowUpParts<Ended, Payload>,
): (input: FollowUpInput<Key>) => Promise<FollowUpResult<Key, Ended>> {
  const workflow = async (input: FollowUpInput<Key>): Promise<FollowUpResult<Key, Ended>> => {
    const id = (input as { [K in Key]: string })[idKey];
    const outcome = await runFollowUp(partsFor(id), input.forwardedEventId ?? 0);
    const position = { [idKey]: id, forwardedEventId: outcome.forwardedEventId } as FollowUpInput<Key> & { forwardedEventId: number };
    if ('continueAsNew' in outcome) return continueAsNew(position);
    return { ...position, ended: outcome.ended };
  };
  // startChild(fn) and the worker name a workflow by its function's name: keep it the registered type.
  Object.defineProperty(workflow, 'name', { value: workflowType });
  return workflow;
}
