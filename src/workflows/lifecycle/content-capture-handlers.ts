import { ApplicationFailure, setHandler, workflowInfo } from '@temporalio/workflow';
import { emailExternalKey } from '../../domain/email-envelope.js';
import { FailureType } from '../../domain/failures.js';
import {
  AMAZON_CONNECT_SOURCE,
  CHAT_CAPTURE_SOURCE,
  EMAIL_CAPTURE_SOURCE,
  captureContentUpdate,
  type CaptureContentArgs,
  type ConversationLifecycleState,
} from '../conversation-lifecycle.contract.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import type { SerialRunner } from './serial.js';
import { recordStep } from './steps.js';

/** Validators do not run on replay, so widening what a source accepts leaves saved histories unchanged. */
const SOURCES_OF_KIND: Record<CaptureContentArgs['content']['kind'], readonly string[]> = {
  chat: [AMAZON_CONNECT_SOURCE, CHAT_CAPTURE_SOURCE],
  email: [EMAIL_CAPTURE_SOURCE],
};

function invalid(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.InvalidInput, message });
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The content must be of this conversation's kind and key: its id was derived from both. */
function validate(state: ConversationLifecycleState, { content }: CaptureContentArgs): void {
  refuseIfDeleted(state);
  if (!SOURCES_OF_KIND[content.kind].includes(state.source)) throw invalid(`a ${content.kind} cannot be captured into a ${state.source} conversation`);
  const [digest, key] =
    content.kind === 'chat' ? [content.chat.transcriptSha256, content.chat.contactId] : [content.email.rawSha256, content.email.messageId ?? content.email.rawSha256];
  if (!SHA256_HEX.test(digest)) throw invalid(`${content.kind}: not a SHA-256 digest of stored content`);
  // A different email with a Message-ID already used is keyed by the Message-ID and its digest (emailExternalKey).
  const sharedKey = content.kind === 'email' && content.email.messageId ? emailExternalKey(content.email.messageId, digest, true) : null;
  if (key !== state.externalKey && sharedKey !== state.externalKey) throw invalid(`${content.kind} ${key} does not belong to conversation ${state.externalKey}`);
}

/** Chat transcripts and emails imported from other systems (the seed's Chat and Email Importer). */
export function registerContentCapture(state: ConversationLifecycleState, serially: SerialRunner): void {
  const { workflowId, runId } = workflowInfo();
  setHandler(
    captureContentUpdate,
    (args) =>
      serially(async () => {
        const common = { conversationId: state.conversationId, source: state.source, externalKey: state.externalKey, context: args.context, workflow: { workflowId, runId } };
        const result =
          args.content.kind === 'chat'
            ? await activities.storeChatTranscript({ ...common, chat: args.content.chat })
            : await activities.storeEmail({ ...common, email: args.content.email });
        if (result.outcome !== 'duplicate') {
          if (state.stage === 'open') state.stage = 'captured';
          recordStep(state, `${result.kind}-${result.outcome}`, { media: result.media.length });
        }
        return result;
      }),
    { validator: (args) => validate(state, args) },
  );
}
