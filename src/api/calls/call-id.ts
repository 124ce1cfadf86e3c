import { conversationIdFor } from '../../lib/ids.js';
import { LIVE_CALL_SOURCE } from '../../workflows/conversation-lifecycle.contract.js';

/** A live call is the conversation whose source key is its call id. */
export const callConversationId = (callId: string) => conversationIdFor(LIVE_CALL_SOURCE, callId);
