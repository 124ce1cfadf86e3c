import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { CallState } from '../../domain/call-segments.js';
import { FailureType } from '../../domain/failures.js';
import {
  anonymiseUpdate,
  extendRetentionUpdate,
  legalHoldChangedSignal,
  placeLegalHoldUpdate,
  releaseLegalHoldUpdate,
  retentionPolicyChangedSignal,
  type ConversationLifecycleState,
} from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import type { SerialRunner } from './serial.js';
import { bumpRetention } from './retention-loop.js';
import { recordStep } from './steps.js';

/** Keeps segment structure, times and tags; drops who was on the line and what the contact center attached. */
function scrubCall(call: CallState): CallState {
  const anonymous = '[anonymised]';
  return {
    ...call,
    customer: anonymous,
    currentAgent: anonymous,
    consultedAgent: call.consultedAgent === null ? null : anonymous,
    externalData: {},
    segments: call.segments.map((segment) => ({ ...segment, parties: { a: anonymous, b: anonymous } })),
  };
}

/** Legal holds, an authority's retention extension, and policy changes: all re-plan retention. */
export function registerProtectionHandlers(state: ConversationLifecycleState, serially: SerialRunner): void {
  setHandler(
    placeLegalHoldUpdate,
    (args) => {
      // Bumped before the activity runs, so a deletion about to start is re-planned and sees the hold.
      bumpRetention(state);
      return serially(async () => {
        const result = await activities.placeLegalHold({ ...args, conversationId: state.conversationId });
        recordStep(state, 'legal-hold-placed', { holdId: args.holdId, reason: args.reason });
        bumpRetention(state);
        return result;
      });
    },
    { validator: (_args) => refuseIfDeleted(state) },
  );

  setHandler(
    releaseLegalHoldUpdate,
    (args) =>
      serially(async () => {
        const result = await activities.releaseLegalHold({ ...args, conversationId: state.conversationId });
        recordStep(state, 'legal-hold-released', { holdId: args.holdId, reason: args.reason });
        bumpRetention(state);
        return result;
      }),
    { validator: (_args) => refuseIfDeleted(state) },
  );

  setHandler(
    extendRetentionUpdate,
    (args) => {
      bumpRetention(state);
      return serially(async () => {
        const result = await activities.extendRetention({ ...args, conversationId: state.conversationId });
        if (result.extended) recordStep(state, 'retention-extended', { protectedUntil: result.protectedUntil, reason: args.reason });
        bumpRetention(state);
        return result;
      });
    },
    {
      validator: (args) => {
        refuseIfDeleted(state);
        if (Number.isNaN(Date.parse(args.until))) {
          throw ApplicationFailure.create({ type: FailureType.InvalidInput, message: 'until must be an ISO timestamp' });
        }
      },
    },
  );

  setHandler(
    anonymiseUpdate,
    (args) =>
      serially(async () => {
        const result = await activities.anonymiseConversation({ ...args, conversationId: state.conversationId });
        if (result.anonymised) {
          state.anonymised = true;
          state.call = state.call ? scrubCall(state.call) : state.call;
          state.rotateHistory = true;
          recordStep(state, 'anonymised', { reason: args.reason });
        } else {
          recordStep(state, 'anonymisation-refused', { refusal: result.refusal });
        }
        return result;
      }),
    { validator: (_args) => refuseIfDeleted(state) },
  );

  setHandler(retentionPolicyChangedSignal, () => bumpRetention(state));

  setHandler(legalHoldChangedSignal, ({ holdId, change, reason }) => {
    if (state.stage === 'deleted') return;
    recordStep(state, change === 'placed' ? 'legal-hold-placed' : 'legal-hold-released', { holdId, reason });
    bumpRetention(state);
  });
}
