import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { applyCallEvent } from '../../domain/call-segments.js';
import { FailureType } from '../../domain/failures.js';
import { tagActiveSegment, untagActiveSegment, type NoActiveCall } from '../../domain/segment-tags.js';
import { applyCallEventsUpdate, tagActiveSegmentUpdate, untagActiveSegmentUpdate, type ApplyCallEventsResult, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import type { SerialRunner } from './serial.js';
import { recordStep } from './steps.js';

function noActiveCall(refusal: NoActiveCall): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.NoActiveCall, message: `no active call: ${refusal.message}`, details: [refusal.reason] });
}

/** Live call events and tagging of the active segment (the seed's call-flow tables). */
export function registerCallHandlers(state: ConversationLifecycleState, serially: SerialRunner): void {
  const { workflowId, runId } = workflowInfo();
  const persist = async (context: RequestContext) => {
    if (!state.call) return;
    const { tagChanges } = await activities.persistCallState({
      conversationId: state.conversationId,
      source: state.source,
      externalKey: state.externalKey,
      call: state.call,
      context,
      workflow: { workflowId, runId },
    });
    if (tagChanges.length > 0) state.retentionVersion = (state.retentionVersion ?? 0) + 1;
  };

  setHandler(
    applyCallEventsUpdate,
    (args) =>
      serially(async () => {
        const rules = await activities.loadRecordingRules();
        const result: ApplyCallEventsResult = {
          conversationId: state.conversationId,
          applied: [],
          duplicates: [],
          rejected: [],
          status: null,
          activeSegmentIndex: null,
        };
        for (const event of args.events) {
          const outcome = applyCallEvent(state.call ?? null, event, rules);
          if (!outcome.ok) {
            result.rejected.push({ eventId: event.eventId, message: outcome.message });
            continue;
          }
          if (outcome.duplicate) {
            result.duplicates.push(event.eventId);
            continue;
          }
          const wasEnded = state.call?.status === 'ended';
          state.call = outcome.state;
          result.applied.push(event.eventId);
          recordStep(state, `call-${event.type}`, { eventId: event.eventId, segments: state.call.segments.length });
          if (!wasEnded && state.call.status === 'ended' && state.stage === 'open') state.stage = 'captured';
        }
        if (result.applied.length > 0) await persist(args.context);
        result.status = state.call?.status ?? null;
        result.activeSegmentIndex = state.call?.activeSegmentIndex ?? null;
        return result;
      }),
    { validator: (_args) => refuseIfDeleted(state) },
  );

  setHandler(
    tagActiveSegmentUpdate,
    (args) =>
      serially(async () => {
        const outcome = tagActiveSegment(state.call ?? null, { name: args.name, value: args.value, source: args.source, at: new Date().toISOString() });
        if (!outcome.ok) throw noActiveCall(outcome);
        const before = state.call?.segments.find((segment) => segment.index === outcome.segmentIndex)?.tags.find((tag) => tag.name === args.name && tag.source === args.source);
        state.call = outcome.state;
        await persist(args.context);
        recordStep(state, 'segment-tagged', { name: args.name, value: args.value, source: args.source, segmentIndex: outcome.segmentIndex });
        const change = !before ? 'added' : before.value === args.value ? 'unchanged' : 'updated';
        return { conversationId: state.conversationId, segmentIndex: outcome.segmentIndex, change };
      }),
    {
      validator: (args) => {
        refuseIfDeleted(state);
        const dryRun = tagActiveSegment(state.call ?? null, { name: args.name, value: args.value, source: args.source, at: '' });
        if (!dryRun.ok) throw noActiveCall(dryRun);
      },
    },
  );

  setHandler(
    untagActiveSegmentUpdate,
    (args) =>
      serially(async () => {
        const outcome = untagActiveSegment(state.call ?? null, { name: args.name, source: args.source });
        if (!outcome.ok) throw noActiveCall(outcome);
        state.call = outcome.state;
        if (outcome.removed) {
          await persist(args.context);
          recordStep(state, 'segment-untagged', { name: args.name, source: args.source, segmentIndex: outcome.segmentIndex });
        }
        return { conversationId: state.conversationId, segmentIndex: outcome.segmentIndex, change: outcome.removed ? 'removed' : 'unchanged' };
      }),
    {
      validator: (args) => {
        refuseIfDeleted(state);
        const dryRun = untagActiveSegment(state.call ?? null, { name: args.name, source: args.source });
        if (!dryRun.ok) throw noActiveCall(dryRun);
      },
    },
  );
}
