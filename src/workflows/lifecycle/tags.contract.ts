import { defineUpdate } from '@temporalio/workflow';
import type { RequestContext } from '../../audit/write/actor.js';

export interface SegmentTagResult {
  conversationId: string;
  segmentIndex: number;
  change: 'added' | 'updated' | 'removed' | 'unchanged';
}


export interface TagConversationArgs {
  context: RequestContext;
  name: string;
  value: string | null;
}
export interface UntagConversationArgs {
  context: RequestContext;
  name: string;
}
/** Tags on the conversation as a whole (segment 0), e.g. a compliance analyst tagging after the fact. */
export const tagConversationUpdate = defineUpdate<SegmentTagResult, [TagConversationArgs]>('tagConversation');
export const untagConversationUpdate = defineUpdate<SegmentTagResult, [UntagConversationArgs]>('untagConversation');
