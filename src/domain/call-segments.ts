import { evaluateRecordingRules, type RecordingRule } from './recording-rules.js';
import { withTag, type SegmentTag } from './segment-tags.js';

/**
 * A live call as a sequence of segments. Every hold, transfer and consultation cuts a new segment, each
 * segment is judged by the recording rules on its own, and tags follow the seed's call-flow tables:
 * rule tags per segment, contact-center (external-data) tags follow the customer, manual tags stay put.
 */

export type SegmentKind = 'customer' | 'consultation';
export type ConsentState = 'not-required' | 'pending' | 'given' | 'refused';

export type Segment = {
  index: number;
  kind: SegmentKind;
  parties: { a: string; b: string };
  startedAt: string;
  endedAt: string | null;
  recorded: boolean;
  ruleId: string | null;
  consentRequired: boolean;
  consent: ConsentState;
  mediaKept: boolean;
  tags: SegmentTag[];
};

export type CallStatus = 'active' | 'on-hold' | 'consulting' | 'ended';

export type CallState = {
  callId: string;
  direction: 'inbound' | 'outbound';
  status: CallStatus;
  customer: string;
  currentAgent: string;
  consultedAgent: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Call-following contact-center data: what external-data recording rules see for each new segment. */
  externalData: Record<string, string>;
  /** Call-following contact-center tags, put on every later customer segment. */
  externalDataTags: Record<string, string | null>;
  /** The customer's latest answer, so a hold or transfer does not make a consented call "pending" again. */
  customerConsent: 'given' | 'refused' | null;
  segments: Segment[];
  activeSegmentIndex: number | null;
  /** Kept in full: a call has few events, and a forgotten id would let a replay apply twice. */
  appliedEventIds: string[];
};

export type CallEventPayload =
  | {
      type: 'started';
      callId: string;
      customer: string;
      agent: string;
      direction: 'inbound' | 'outbound';
      externalData?: Record<string, string>;
    }
  | { type: 'held' }
  | { type: 'resumed' }
  | { type: 'transferred'; to: string }
  | { type: 'consult-started'; to: string }
  | { type: 'consult-completed' }
  | { type: 'consult-cancelled' }
  | { type: 'external-data'; data?: Record<string, string>; tags?: Record<string, string | null> }
  | { type: 'consent'; given: boolean }
  | { type: 'ended' };

export type CallEvent = CallEventPayload & { eventId: string; at: string };
export type CallEventType = CallEventPayload['type'];

export type CallEventResult =
  | { ok: true; state: CallState; duplicate: boolean }
  | { ok: false; code: 'INVALID_TRANSITION'; message: string };

const ALLOWED_FROM: Record<Exclude<CallEventType, 'started'>, readonly CallStatus[]> = {
  held: ['active'],
  resumed: ['on-hold'],
  transferred: ['active', 'on-hold'],
  'consult-started': ['active', 'on-hold'],
  'consult-completed': ['consulting'],
  'consult-cancelled': ['consulting'],
  'external-data': ['active', 'on-hold', 'consulting'],
  consent: ['active', 'consulting'],
  ended: ['active', 'on-hold', 'consulting'],
};

export function activeSegment(state: CallState): Segment | null {
  return state.activeSegmentIndex === null ? null : (state.segments[state.activeSegmentIndex - 1] ?? null);
}

function mediaKeptFor(segment: Pick<Segment, 'recorded' | 'consentRequired' | 'consent'>): boolean {
  return segment.recorded && !(segment.consentRequired && segment.consent === 'refused');
}

function replaceSegment(state: CallState, segment: Segment): CallState {
  const segments = state.segments.map((existing) => (existing.index === segment.index ? segment : existing));
  return { ...state, segments };
}

function endActiveSegment(state: CallState, at: string): CallState {
  const segment = activeSegment(state);
  if (!segment) return state;
  return { ...replaceSegment(state, { ...segment, endedAt: at }), activeSegmentIndex: null };
}

function startSegment(
  state: CallState,
  kind: SegmentKind,
  parties: { a: string; b: string },
  at: string,
  rules: readonly RecordingRule[],
): CallState {
  // A consultation is judged as a call of its own, so it sees no external data and gets no carried tags.
  const externalData = kind === 'customer' ? state.externalData : {};
  const decision = evaluateRecordingRules(rules, { parties: [parties.a, parties.b], externalData });

  let tags: SegmentTag[] = [];
  if (decision.tag) tags = withTag(tags, { ...decision.tag, source: 'recording-rule', at });
  if (kind === 'customer') {
    for (const [name, value] of Object.entries(state.externalDataTags)) {
      tags = withTag(tags, { name, value, source: 'external-data', at });
    }
  }

  const consentRequired = decision.record && decision.requireConsent;
  const knownConsent = kind === 'customer' ? state.customerConsent : null;
  const consent: ConsentState = consentRequired ? (knownConsent ?? 'pending') : 'not-required';
  const index = state.segments.length + 1;
  const segment: Segment = {
    index,
    kind,
    parties,
    startedAt: at,
    endedAt: null,
    recorded: decision.record,
    ruleId: decision.ruleId,
    consentRequired,
    consent,
    mediaKept: mediaKeptFor({ recorded: decision.record, consentRequired, consent }),
    tags,
  };
  return { ...state, segments: [...state.segments, segment], activeSegmentIndex: index };
}

function startCustomerSegment(state: CallState, at: string, rules: readonly RecordingRule[]): CallState {
  return startSegment(state, 'customer', { a: state.customer, b: state.currentAgent }, at, rules);
}

function applyExternalData(state: CallState, event: Extract<CallEvent, { type: 'external-data' }>): CallState {
  const tags = event.tags ?? {};
  const next: CallState = {
    ...state,
    externalData: { ...state.externalData, ...event.data },
    externalDataTags: { ...state.externalDataTags, ...tags },
  };
  const segment = activeSegment(next);
  if (!segment || segment.kind !== 'customer') return next;
  let segmentTags = segment.tags;
  for (const [name, value] of Object.entries(tags)) {
    segmentTags = withTag(segmentTags, { name, value, source: 'external-data', at: event.at });
  }
  return replaceSegment(next, { ...segment, tags: segmentTags });
}

function applyConsent(state: CallState, given: boolean): CallState {
  const segment = activeSegment(state);
  if (!segment) return state;
  const consent: ConsentState = given ? 'given' : 'refused';
  const updated = { ...segment, consent, mediaKept: mediaKeptFor({ ...segment, consent }) };
  const next = replaceSegment(state, updated);
  return segment.kind === 'customer' ? { ...next, customerConsent: consent } : next;
}

function startCall(event: Extract<CallEvent, { type: 'started' }>, rules: readonly RecordingRule[]): CallState {
  const call: CallState = {
    callId: event.callId,
    direction: event.direction,
    status: 'active',
    customer: event.customer,
    currentAgent: event.agent,
    consultedAgent: null,
    startedAt: event.at,
    endedAt: null,
    externalData: { ...event.externalData },
    externalDataTags: {},
    customerConsent: null,
    segments: [],
    activeSegmentIndex: null,
    appliedEventIds: [],
  };
  return startCustomerSegment(call, event.at, rules);
}

function invalid(message: string): CallEventResult {
  return { ok: false, code: 'INVALID_TRANSITION', message };
}

function transition(
  state: CallState,
  event: Exclude<CallEvent, { type: 'started' }>,
  rules: readonly RecordingRule[],
): CallState {
  const { at } = event;
  switch (event.type) {
    case 'held':
      return { ...endActiveSegment(state, at), status: 'on-hold' };
    case 'resumed':
      return startCustomerSegment({ ...state, status: 'active' }, at, rules);
    case 'transferred': {
      const handedOver: CallState = { ...endActiveSegment(state, at), status: 'active', currentAgent: event.to };
      return startCustomerSegment(handedOver, at, rules);
    }
    case 'consult-started': {
      const consulting: CallState = { ...endActiveSegment(state, at), status: 'consulting', consultedAgent: event.to };
      return startSegment(consulting, 'consultation', { a: state.currentAgent, b: event.to }, at, rules);
    }
    case 'consult-completed': {
      const handedOver: CallState = {
        ...endActiveSegment(state, at),
        status: 'active',
        currentAgent: state.consultedAgent ?? state.currentAgent,
        consultedAgent: null,
      };
      return startCustomerSegment(handedOver, at, rules);
    }
    case 'consult-cancelled': {
      const back: CallState = { ...endActiveSegment(state, at), status: 'active', consultedAgent: null };
      return startCustomerSegment(back, at, rules);
    }
    case 'external-data':
      return applyExternalData(state, event);
    case 'consent':
      return applyConsent(state, event.given);
    case 'ended':
      return { ...endActiveSegment(state, at), status: 'ended', endedAt: at, consultedAgent: null };
  }
}

/**
 * Applies one call event. Segments are judged by the rules as they start and are not re-judged when
 * external data arrives later, so a rule change never rewrites a segment already under way.
 * Replaying an event id already applied changes nothing, so at-least-once delivery is harmless.
 */
export function applyCallEvent(
  state: CallState | null,
  event: CallEvent,
  rules: readonly RecordingRule[],
): CallEventResult {
  if (state?.appliedEventIds.includes(event.eventId)) return { ok: true, state, duplicate: true };

  let next: CallState;
  if (state === null) {
    if (event.type !== 'started') return invalid(`Cannot apply "${event.type}": the call has not started.`);
    next = startCall(event, rules);
  } else {
    if (event.type === 'started') return invalid(`Cannot apply "started": call ${state.callId} has already started.`);
    const allowed = ALLOWED_FROM[event.type];
    if (!allowed.includes(state.status)) {
      return invalid(
        `Cannot apply "${event.type}" to call ${state.callId} while it is ${state.status}; ` +
          `it needs the call to be ${allowed.join(' or ')}.`,
      );
    }
    next = transition(state, event, rules);
  }
  return { ok: true, state: { ...next, appliedEventIds: [...next.appliedEventIds, event.eventId] }, duplicate: false };
}
