import { describe, expect, it } from 'vitest';
import { activeSegment, applyCallEvent, type CallEventPayload, type CallState, type Segment } from '../../../src/domain/call-segments.js';
import type { RecordingRule } from '../../../src/domain/recording-rules.js';
import { tagActiveSegment, type ManualTagSource } from '../../../src/domain/segment-tags.js';
import { fc } from '../support.js';

/**
 * Generated call flows (holds, transfers, consultations, contact-center data, consent, manual tags, replays)
 * run through the call model next to a model of the seed's call-flow tables: rule tags per segment,
 * contact-center tags follow the customer, manual tags stay on the segment they were given to, and a
 * manual tag while the call is on hold (or over, or unrecorded) is refused and changes nothing.
 */
const CUSTOMER = '+420222111000';
const TAGGED_AGENT = '2178';
const UNTAGGED_AGENT = '2180';
const AGENTS = [TAGGED_AGENT, UNTAGGED_AGENT, '3000'] as const;
// The seed's rules: 2180 recorded without a tag, 2178 recorded with TAG; anyone else is not recorded.
const SEED_RULES: RecordingRule[] = [
  { id: 'rule-1', name: 'Record 2180 without TAG', position: 1, match: { type: 'phone', pattern: '2180' }, action: 'record' },
  { id: 'rule-2', name: 'Record 2178 with TAG', position: 2, match: { type: 'phone', pattern: '2178' }, action: 'record', tag: { name: 'TAG' } },
];

type Step =
  | { kind: 'event'; event: CallEventPayload }
  | { kind: 'tag'; source: ManualTagSource; name: string; value: string | null }
  | { kind: 'replay'; back: number };

const agent = fc.constantFrom(...AGENTS);
const tagName = fc.constantFrom('TAG', 'LOB', 'RISK');
const tagValue = fc.constantFrom(null, '1', '2');
const eventPayload: fc.Arbitrary<CallEventPayload> = fc.oneof(
  fc.record({ type: fc.constant('started' as const), callId: fc.constant('generated-call'), customer: fc.constant(CUSTOMER), agent, direction: fc.constantFrom('inbound' as const, 'outbound' as const) }),
  fc.constant({ type: 'held' as const }),
  fc.constant({ type: 'resumed' as const }),
  fc.record({ type: fc.constant('transferred' as const), to: agent }),
  fc.record({ type: fc.constant('consult-started' as const), to: agent }),
  fc.constant({ type: 'consult-completed' as const }),
  fc.constant({ type: 'consult-cancelled' as const }),
  fc.record({ type: fc.constant('external-data' as const), tags: fc.dictionary(tagName, tagValue, { maxKeys: 2 }) }),
  fc.record({ type: fc.constant('consent' as const), given: fc.boolean() }),
  fc.constant({ type: 'ended' as const }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: eventPayload.map((event) => ({ kind: 'event' as const, event })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('tag' as const), source: fc.constantFrom<ManualTagSource>('api', 'agent-desktop'), name: tagName, value: tagValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replay' as const), back: fc.nat(5) }) },
);
const START: Step = { kind: 'event', event: { type: 'started', callId: 'generated-call', customer: CUSTOMER, agent: TAGGED_AGENT, direction: 'inbound' } };
const callFlow = fc.tuple(fc.option(fc.constant(START), { freq: 5, nil: undefined }), fc.array(step, { maxLength: 30 })).map(([first, rest]) => (first ? [first, ...rest] : rest));

/** What the tables say a segment holds, keyed `source|name`. */
type ExpectedTags = Map<string, string | null>;
const tagsOf = (segment: Segment): ExpectedTags => new Map(segment.tags.map((tag) => [`${tag.source}|${tag.name}`, tag.value]));

function expectShapeHolds(state: CallState) {
  expect(state.segments.map((segment) => segment.index)).toEqual(state.segments.map((_, i) => i + 1));
  const open = state.segments.filter((segment) => segment.endedAt === null).map((segment) => segment.index);
  expect(open).toEqual(state.activeSegmentIndex === null ? [] : [state.activeSegmentIndex]);
  if (state.status === 'on-hold' || state.status === 'ended') expect(state.activeSegmentIndex).toBeNull();
}

function runFlow(steps: readonly Step[]) {
  let state: CallState | null = null;
  const applied: { eventId: string; at: string; event: CallEventPayload }[] = [];
  const expected: ExpectedTags[] = [];
  let carriedTags = new Map<string, string | null>();

  steps.forEach((current, i) => {
    const at = new Date(Date.UTC(2026, 0, 1, 9, 0, i)).toISOString();
    if (current.kind === 'tag') {
      const before: CallState | null = state;
      const active = before && activeSegment(before);
      const taggable = before !== null && before.status !== 'ended' && before.status !== 'on-hold' && active !== null && active.recorded && active.mediaKept;
      const result = tagActiveSegment(before, { name: current.name, value: current.value, source: current.source, at });
      expect(result.ok, `step ${i}: manual tag while ${before?.status ?? 'no call'}`).toBe(taggable);
      if (!result.ok) {
        if (before?.status === 'on-hold') expect(result.reason).toBe('on-hold');
        return;
      }
      expected[result.segmentIndex - 1]!.set(`${current.source}|${current.name}`, current.value);
      state = result.state;
      return;
    }

    if (current.kind === 'replay') {
      const earlier = applied[applied.length - 1 - current.back];
      if (!earlier || !state) return;
      const result = applyCallEvent(state, { ...earlier.event, eventId: earlier.eventId, at }, SEED_RULES);
      expect(result).toEqual({ ok: true, state, duplicate: true });
      return;
    }

    const before: CallState | null = state;
    const stamp = { eventId: `event-${i}`, at };
    const result = applyCallEvent(before, { ...current.event, ...stamp } as Parameters<typeof applyCallEvent>[1], SEED_RULES);
    if (!result.ok) {
      expect(result.code).toBe('INVALID_TRANSITION');
      return;
    }
    const next: CallState = result.state;
    applied.push({ ...stamp, event: current.event });
    if (current.event.type === 'external-data') {
      const active = activeSegment(next);
      for (const [name, value] of Object.entries(current.event.tags ?? {})) {
        carriedTags.set(name, value);
        if (active?.kind === 'customer') expected[active.index - 1]!.set(`external-data|${name}`, value);
      }
    }
    if (current.event.type === 'started') carriedTags = new Map();
    for (const segment of next.segments.slice(before?.segments.length ?? 0)) {
      const tags: ExpectedTags = new Map();
      // The first matching rule by position decides: a segment with 2180 in it is recorded without a tag.
      const parties = [segment.parties.a, segment.parties.b];
      if (parties.includes(TAGGED_AGENT) && !parties.includes(UNTAGGED_AGENT)) tags.set('recording-rule|TAG', null);
      if (segment.kind === 'customer') {
        expect(segment.parties).toEqual({ a: CUSTOMER, b: next.currentAgent });
        for (const [name, value] of carriedTags) tags.set(`external-data|${name}`, value);
      }
      expected.push(tags);
    }
    // Segments already cut never change their tags because of a later event.
    before?.segments.forEach((segment, index) => {
      if (index + 1 !== before.activeSegmentIndex) expect(next.segments[index]!.tags).toEqual(segment.tags);
    });
    state = next;
  });
  return { state: state as CallState | null, expected };
}

describe('generated call flows', () => {
  it('keep their shape, refuse manual tags on hold, and tag segments as the seed tables say', () => {
    fc.assert(
      fc.property(callFlow, (steps) => {
        const { state, expected } = runFlow(steps);
        if (!state) return;
        expectShapeHolds(state);
        expect(state.segments.map(tagsOf)).toEqual(expected);
      }),
    );
  });

  it('refuse every manual tag while the call is on hold, whatever came before', () => {
    fc.assert(
      fc.property(callFlow, tagName, (steps, name) => {
        const { state } = runFlow([...steps, { kind: 'event', event: { type: 'held' } }]);
        if (state?.status !== 'on-hold') return;
        for (const source of ['api', 'agent-desktop'] as const) {
          expect(tagActiveSegment(state, { name, value: null, source, at: '2026-01-02T00:00:00.000Z' })).toMatchObject({ ok: false, reason: 'on-hold' });
        }
      }),
    );
  });
});
