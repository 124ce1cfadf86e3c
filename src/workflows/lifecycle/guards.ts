import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../../domain/failures.js';
import type { ConversationLifecycleState } from './state.contract.js';

/** Deletion is final: every input after it is refused (the API answers 410), from validators and handlers alike. */
export function refuseIfDeleted(state: ConversationLifecycleState): void {
  if (state.stage === 'deleted') {
    throw ApplicationFailure.create({ type: FailureType.ConversationDisposed, message: 'conversation was deleted' });
  }
}
