import { allHandlersFinished, condition, continueAsNew, setHandler } from '@temporalio/workflow';
import { lifecycleStateQuery, type ConversationLifecycleInput, type ConversationLifecycleState } from './conversation-lifecycle.contract.js';
import { registerArchiveHandlers } from './lifecycle/archive-handlers.js';
import { registerCallHandlers } from './lifecycle/call-handlers.js';
import { registerContactRecordCapture } from './lifecycle/capture-handlers.js';
import { registerContentCapture } from './lifecycle/content-capture-handlers.js';
import { registerMinutesCapture } from './lifecycle/minutes-handlers.js';
import { registerProtectionHandlers } from './lifecycle/protection-handlers.js';
import { runRetention } from './lifecycle/retention-loop.js';
import { registerReviewHandlers } from './lifecycle/review-handlers.js';
import { createSerialRunner } from './lifecycle/serial.js';
import { registerConversationTagHandlers } from './lifecycle/tag-handlers.js';
import { registerTrainingHandlers } from './lifecycle/training-handlers.js';

/**
 * One conversation's life, from capture to deletion. Each capability registers its handlers from its own
 * module; the body waits out retention and continues-as-new, carrying the state, when the history grows.
 */
export async function conversationLifecycle(input: ConversationLifecycleInput): Promise<ConversationLifecycleState> {
  const state = input.state;
  const serially = createSerialRunner();

  setHandler(lifecycleStateQuery, () => state);
  registerContactRecordCapture(state);
  registerContentCapture(state, serially);
  registerMinutesCapture(state, serially);
  registerCallHandlers(state, serially);
  registerConversationTagHandlers(state, serially);
  registerProtectionHandlers(state, serially);
  registerArchiveHandlers(state, serially);
  registerReviewHandlers(state);
  registerTrainingHandlers(state);

  await runRetention(state, serially);

  // Never cut an update short: its caller is waiting for the result.
  await condition(allHandlersFinished);
  if (state.stage === 'deleted') return state;
  return continueAsNew<typeof conversationLifecycle>({ state: { ...state, rotateHistory: false } });
}
