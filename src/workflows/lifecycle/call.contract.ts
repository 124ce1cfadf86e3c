import { defineUpdate } from '@temporalio/workflow';
import type { RequestContext } from '../../audit/write/actor.js';
import type { CallEvent, CallState } from '../../domain/call-segments.js';
import type { ManualTagSource } from '../../domain/segment-tags.js';
import type { SegmentTagResult } from './tags.contract.js';

/** Live calls: their events and the tagging of the active segment. */
export const LIVE_CALL_SOURCE = 'live-call';


export interface ApplyCallEventsArgs {
  context: RequestContext;
  events: CallEvent[];
}

export interface ApplyCallEventsResult {
  conversationId: string;
  applied: string[];
  duplicates: string[];
  rejected: { eventId: string; message: string }[];
  status: CallState['status'] | null;
  activeSegmentIndex: number | null;
}

export const applyCallEventsUpdate = defineUpdate<ApplyCallEventsResult, [ApplyCallEventsArgs]>('applyCallEvents');

export interface TagActiveSegmentArgs {
  context: RequestContext;
  name: string;
  value: string | null;
  source: ManualTagSource;
}
export interface UntagActiveSegmentArgs {
  context: RequestContext;
  name: string;
  source: ManualTagSource;
}
/** Manual and API tagging of the active segment; the validator answers "no active call" (the seed). */
export const tagActiveSegmentUpdate = defineUpdate<SegmentTagResult, [TagActiveSegmentArgs]>('tagActiveSegment');
export const untagActiveSegmentUpdate = defineUpdate<SegmentTagResult, [UntagActiveSegmentArgs]>('untagActiveSegment');
