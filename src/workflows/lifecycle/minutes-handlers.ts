import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { FailureType } from '../../domain/failures.js';
import { MEETING_SOURCE } from '../../domain/meeting-minutes.js';
import type { ConversationLifecycleState } from './state.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import { captureMinutesUpdate, type CaptureMinutesArgs } from './minutes.contract.js';
import { bumpRetention } from './retention-loop.js';
import type { SerialRunner } from './serial.js';
import { recordStep } from './steps.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidInput, message });
}

/** The minutes must be of this conversation: its id was derived from the meeting id. */
function validate(state: ConversationLifecycleState, { minutes }: CaptureMinutesArgs): void {
  refuseIfDeleted(state);
  if (state.source !== MEETING_SOURCE) throw invalid(`meeting minutes cannot be captured into a ${state.source} conversation`);
  if (!SHA256_HEX.test(minutes.documentSha256)) throw invalid('minutes: not a SHA-256 digest of stored content');
  if (minutes.meetingId !== state.externalKey) throw invalid(`meeting ${minutes.meetingId} does not belong to conversation ${state.externalKey}`);
}

/** Face-to-face and video meetings minuted by the firm (Art. 76(9)): captured, then kept like any conversation. */
export function registerMinutesCapture(state: ConversationLifecycleState, serially: SerialRunner): void {
  const { workflowId, runId } = workflowInfo();
  setHandler(
    captureMinutesUpdate,
    (args) =>
      serially(async () => {
        const result = await activities.storeMeetingMinutes({
          conversationId: state.conversationId,
          externalKey: state.externalKey,
          minutes: args.minutes,
          context: args.context,
          workflow: { workflowId, runId },
        });
        if (result.outcome !== 'duplicate') {
          if (state.stage === 'open') state.stage = 'captured';
          // Corrected minutes may change the attributes a delete task selects by.
          else bumpRetention(state);
          recordStep(state, `minutes-${result.outcome}`, { media: result.media.length });
        }
        return result;
      }),
    { validator: (args) => validate(state, args) },
  );
}
