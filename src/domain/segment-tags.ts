import type { CallState, Segment } from './call-segments.js';

export type TagSource = 'recording-rule' | 'external-data' | 'api' | 'agent-desktop';
export type ManualTagSource = Extract<TagSource, 'api' | 'agent-desktop'>;

export type SegmentTag = { name: string; value: string | null; source: TagSource; at: string };

/** A segment holds at most one tag per (name, source): setting it again is a tag update. */
export function withTag(tags: readonly SegmentTag[], tag: SegmentTag): SegmentTag[] {
  const index = tags.findIndex((existing) => existing.name === tag.name && existing.source === tag.source);
  if (index === -1) return [...tags, tag];
  return tags.map((existing, i) => (i === index ? tag : existing));
}

export function withoutTag(tags: readonly SegmentTag[], name: string, source: TagSource): SegmentTag[] {
  return tags.filter((existing) => !(existing.name === name && existing.source === source));
}

export type NoActiveCallReason = 'no-call' | 'ended' | 'on-hold' | 'not-recorded';
export type NoActiveCall = { ok: false; code: 'NO_ACTIVE_CALL'; reason: NoActiveCallReason; message: string };

export type ManualTagRequest = { name: string; value: string | null; source: ManualTagSource; at: string };
export type ManualUntagRequest = { name: string; source: ManualTagSource };

export type ManualTagResult = { ok: true; state: CallState; segmentIndex: number } | NoActiveCall;
export type ManualUntagResult = { ok: true; state: CallState; segmentIndex: number; removed: boolean } | NoActiveCall;

const NO_ACTIVE_CALL_MESSAGES: Record<NoActiveCallReason, string> = {
  'no-call': 'No active call: the call is unknown.',
  ended: 'No active call: the call has ended.',
  'on-hold': 'No active call: the call is on hold.',
  'not-recorded': 'No active call: the active segment is not being recorded.',
};

function noActiveCall(reason: NoActiveCallReason): NoActiveCall {
  return { ok: false, code: 'NO_ACTIVE_CALL', reason, message: NO_ACTIVE_CALL_MESSAGES[reason] };
}

/**
 * API and agent-desktop tags reach only the segment being recorded right now; during a consultation that
 * is the consultation segment. A segment whose media is discarded (consent refused) counts as not recorded.
 */
function recordedActiveSegment(
  state: CallState | null,
): { ok: true; state: CallState; segment: Segment } | NoActiveCall {
  if (state === null) return noActiveCall('no-call');
  if (state.status === 'ended') return noActiveCall('ended');
  if (state.status === 'on-hold' || state.activeSegmentIndex === null) return noActiveCall('on-hold');
  const segment = state.segments[state.activeSegmentIndex - 1];
  if (!segment) return noActiveCall('on-hold');
  if (!segment.recorded || !segment.mediaKept) return noActiveCall('not-recorded');
  return { ok: true, state, segment };
}

function withSegment(state: CallState, segment: Segment): CallState {
  const segments = state.segments.map((existing) => (existing.index === segment.index ? segment : existing));
  return { ...state, segments };
}

export function tagActiveSegment(state: CallState | null, request: ManualTagRequest): ManualTagResult {
  const active = recordedActiveSegment(state);
  if (!active.ok) return active;
  const { state: call, segment } = active;
  const { name, value, source, at } = request;
  const tags = withTag(segment.tags, { name, value, source, at });
  return { ok: true, state: withSegment(call, { ...segment, tags }), segmentIndex: segment.index };
}

export function untagActiveSegment(state: CallState | null, request: ManualUntagRequest): ManualUntagResult {
  const active = recordedActiveSegment(state);
  if (!active.ok) return active;
  const { state: call, segment } = active;
  const tags = withoutTag(segment.tags, request.name, request.source);
  const removed = tags.length !== segment.tags.length;
  const nextState = removed ? withSegment(call, { ...segment, tags }) : call;
  return { ok: true, state: nextState, segmentIndex: segment.index, removed };
}
