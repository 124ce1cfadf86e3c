import { storeChatTranscript, type StoreChatTranscriptInput } from './content/store-chat.js';
import { storeEmail, type StoreEmailInput } from './content/store-email.js';
import type { ActivityDeps } from './deps.js';

/** Imported chats and emails: each stored with its conversation and audit entry in one transaction. */
export function contentActivities(deps: ActivityDeps) {
  return {
    storeChatTranscript: (input: StoreChatTranscriptInput) => storeChatTranscript(deps, input),
    storeEmail: (input: StoreEmailInput) => storeEmail(deps, input),
  };
}
