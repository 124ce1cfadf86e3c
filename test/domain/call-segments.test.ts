import { describe, expect, it } from 'vitest';
import {
  activeSegment,
  applyCallEvent,
  type CallEventPayload,
  type CallState,
} from '../../src/domain/call-segments.js';
import type { RecordingRule } from '../../src/domain/recording-rules.js';
import { tagActiveSegment, untagActiveSegment } from '../../src/domain/segment-tags.js';

const CUSTOMER = '+420222111000';

const rules: RecordingRule[] = [
  { id: 'rule-1', name: 'Record 2180', position: 1, match: { type: 'phone', pattern: '2180' }, action: 'record' },
  {
    id: 'rule-2',
    name: 'Record 2178 with TAG',
    position: 2,
    match: { type: 'phone', pattern: '2178' },
    action: 'record',
    tag: { name: 'TAG' },
  },
  {
    id: 'consent-desk',
    name: 'Record 3000 desk with consent',
    position: 3,
    match: { type: 'phone', pattern: '30??' },
    action: 'record',
    requireConsent: true,
  },
  {
    id: 'vip',
    name: 'VIP queue',
    position: 4,
    match: { type: 'external-data', key: 'queue', value: 'VIP' },
    action: 'record',
  },
];

function at(second: number): string {
  return new Date(Date.UTC(2024, 2, 1, 9, 0, second)).toISOString();
}

function started(agent: string, externalData?: Record<string, string>): CallEventPayload {
  return { type: 'started', callId: 'call-1', customer: CUSTOMER, agent, direction: 'inbound', externalData };
}

/** Plays payloads in order with ids e1, e2, ... one second apart; fails on the first rejected event. */
function play(payloads: CallEventPayload[], ruleSet: RecordingRule[] = rules): CallState {
  let state: CallState | null = null;
  payloads.forEach((payload, i) => {
    const result = applyCallEvent(state, { ...payload, eventId: `e${i + 1}`, at: at(i) }, ruleSet);
    if (!result.ok) throw new Error(`event ${i + 1} (${payload.type}) rejected: ${result.message}`);
    state = result.state;
  });
  if (state === null) throw new Error('no events played');
  return state;
}

function next(state: CallState | null, payload: CallEventPayload, eventId: string) {
  return applyCallEvent(state, { ...payload, eventId, at: at(59) }, rules);
}

describe('segment cutting', () => {
  it('a new call opens one active customer segment judged by the rules', () => {
    const state = play([started('2178')]);
    expect(state.status).toBe('active');
    expect(state.activeSegmentIndex).toBe(1);
    expect(state.segments).toEqual([
      {
        index: 1,
        kind: 'customer',
        parties: { a: CUSTOMER, b: '2178' },
        startedAt: at(0),
        endedAt: null,
        recorded: true,
        ruleId: 'rule-2',
        consentRequired: false,
        consent: 'not-required',
        mediaKept: true,
        tags: [{ name: 'TAG', value: null, source: 'recording-rule', at: at(0) }],
      },
    ]);
  });

  it('hold ends the segment; resume starts a new customer segment', () => {
    const held = play([started('2178'), { type: 'held' }]);
    expect(held.status).toBe('on-hold');
    expect(held.activeSegmentIndex).toBeNull();
    expect(held.segments[0]?.endedAt).toBe(at(1));

    const resumed = play([started('2178'), { type: 'held' }, { type: 'resumed' }]);
    expect(resumed.status).toBe('active');
    expect(resumed.activeSegmentIndex).toBe(2);
    expect(resumed.segments[1]).toMatchObject({ kind: 'customer', startedAt: at(2), endedAt: null, ruleId: 'rule-2' });
  });

  it('a blind transfer hands the customer to the new agent in a new segment', () => {
    const state = play([started('2178'), { type: 'transferred', to: '2180' }, { type: 'ended' }]);
    expect(state.currentAgent).toBe('2180');
    expect(state.segments.map((s) => [s.kind, s.parties.b, s.ruleId, s.startedAt, s.endedAt])).toEqual([
      ['customer', '2178', 'rule-2', at(0), at(1)],
      ['customer', '2180', 'rule-1', at(1), at(2)],
    ]);
  });

  it('a consult transfer yields customer–agent1, agent1–agent2 consultation, customer–agent2', () => {
    const state = play([
      started('2178'),
      { type: 'consult-started', to: '2180' },
      { type: 'consult-completed' },
      { type: 'ended' },
    ]);
    expect(state.segments.map((s) => [s.index, s.kind, s.parties])).toEqual([
      [1, 'customer', { a: CUSTOMER, b: '2178' }],
      [2, 'consultation', { a: '2178', b: '2180' }],
      [3, 'customer', { a: CUSTOMER, b: '2180' }],
    ]);
    expect(state.segments.every((s) => s.endedAt !== null)).toBe(true);
    expect(state.status).toBe('ended');
    expect(state.activeSegmentIndex).toBeNull();
  });

  it('a cancelled consultation returns the customer to the original agent in a new segment', () => {
    const state = play([started('2178'), { type: 'consult-started', to: '2180' }, { type: 'consult-cancelled' }]);
    expect(state.currentAgent).toBe('2178');
    expect(state.consultedAgent).toBeNull();
    expect(state.segments.map((s) => [s.kind, s.parties.b])).toEqual([
      ['customer', '2178'],
      ['consultation', '2180'],
      ['customer', '2178'],
    ]);
  });

  it('a consultation is judged as a call of its own: the customer\'s external data does not apply', () => {
    const state = play([
      started('5555', { queue: 'VIP' }),
      { type: 'consult-started', to: '5556' },
      { type: 'consult-completed' },
    ]);
    expect(state.segments.map((s) => [s.kind, s.recorded, s.ruleId])).toEqual([
      ['customer', true, 'vip'],
      ['consultation', false, null],
      ['customer', true, 'vip'],
    ]);
  });

  it('external data changes the rules\' verdict for later segments only', () => {
    const state = play([
      started('5555'),
      { type: 'external-data', data: { queue: 'VIP' } },
      { type: 'held' },
      { type: 'resumed' },
      { type: 'external-data', data: { queue: 'retail' } },
      { type: 'held' },
      { type: 'resumed' },
    ]);
    expect(state.segments.map((s) => s.recorded)).toEqual([false, true, false]);
    expect(state.externalData).toEqual({ queue: 'retail' });
  });

  it('a do-not-record rule leaves the segment unrecorded with no media', () => {
    const dnr: RecordingRule[] = [
      {
        id: 'dnr',
        name: 'Private line',
        position: 0,
        match: { type: 'phone', pattern: '+420*' },
        action: 'do-not-record',
      },
      ...rules,
    ];
    const state = play([started('2178')], dnr);
    expect(state.segments[0]).toMatchObject({ recorded: false, ruleId: 'dnr', mediaKept: false, tags: [] });
  });
});

describe('invalid transitions', () => {
  it.each<[string, CallEventPayload[], CallEventPayload]>([
    ['resume when not held', [started('2178')], { type: 'resumed' }],
    ['hold when already held', [started('2178'), { type: 'held' }], { type: 'held' }],
    ['hold during a consultation', [started('2178'), { type: 'consult-started', to: '2180' }], { type: 'held' }],
    ['complete a consultation that never started', [started('2178')], { type: 'consult-completed' }],
    ['cancel a consultation that never started', [started('2178')], { type: 'consult-cancelled' }],
    ['blind transfer during a consultation', [started('2178'), { type: 'consult-started', to: '2180' }], {
      type: 'transferred',
      to: '2181',
    }],
    ['consent while on hold', [started('2178'), { type: 'held' }], { type: 'consent', given: true }],
    ['start twice', [started('2178')], started('2180')],
    ['resume after end', [started('2178'), { type: 'held' }, { type: 'ended' }], { type: 'resumed' }],
    ['end after end', [started('2178'), { type: 'ended' }], { type: 'ended' }],
    ['external data after end', [started('2178'), { type: 'ended' }], { type: 'external-data', data: { a: 'b' } }],
    ['transfer after end', [started('2178'), { type: 'ended' }], { type: 'transferred', to: '2180' }],
  ])('rejects: %s', (_name, history, payload) => {
    const state = play(history);
    const result = next(state, payload, 'fresh-id');
    expect(result).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: expect.stringContaining(payload.type) });
  });

  it('rejects any event before the call has started', () => {
    const result = next(null, { type: 'held' }, 'e1');
    expect(result).toEqual({ ok: false, code: 'INVALID_TRANSITION', message: expect.stringContaining('not started') });
  });

  it('says what state the call is in and what the event needs', () => {
    const result = next(play([started('2178')]), { type: 'resumed' }, 'e9');
    expect(result).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: 'Cannot apply "resumed" to call call-1 while it is active; it needs the call to be on-hold.',
    });
  });
});

describe('idempotent replay', () => {
  it('applying the same eventId twice is a no-op reported as a duplicate', () => {
    const first = next(null, started('2178'), 'e1');
    if (!first.ok) throw new Error(first.message);
    const held = next(first.state, { type: 'held' }, 'e2');
    if (!held.ok) throw new Error(held.message);

    const replay = next(held.state, { type: 'held' }, 'e2');
    expect(replay).toEqual({ ok: true, state: held.state, duplicate: true });
    expect(held.duplicate).toBe(false);
  });

  it('a replayed event is harmless even where it would now be invalid', () => {
    const state = play([started('2178'), { type: 'held' }, { type: 'resumed' }, { type: 'ended' }]);
    for (const [eventId, payload] of [
      ['e1', started('2178')],
      ['e2', { type: 'held' }],
      ['e3', { type: 'resumed' }],
    ] as const) {
      const replay = next(state, payload, eventId);
      expect(replay).toEqual({ ok: true, state, duplicate: true });
    }
  });

  it('a replayed external-data event does not re-stamp the tag', () => {
    const state = play([started('2178'), { type: 'external-data', tags: { TAG_CCE: '1' } }]);
    const replay = next(state, { type: 'external-data', tags: { TAG_CCE: '2' } }, 'e2');
    expect(replay.ok && replay.state.segments[0]?.tags.find((t) => t.name === 'TAG_CCE')?.value).toBe('1');
  });

  it('a rejected event is not remembered, so a corrected resend with the same id can still apply', () => {
    const state = play([started('2178')]);
    expect(next(state, { type: 'resumed' }, 'e2').ok).toBe(false);
    const held = next(state, { type: 'held' }, 'e2');
    expect(held).toMatchObject({ ok: true, duplicate: false, state: { status: 'on-hold' } });
  });

  it('never mutates the state it was given', () => {
    const state = play([started('2178'), { type: 'external-data', tags: { TAG_CCE: null } }]);
    const snapshot = structuredClone(state);
    next(state, { type: 'held' }, 'x1');
    next(state, { type: 'external-data', data: { k: 'v' }, tags: { TAG_CCE: 'changed' } }, 'x2');
    tagActiveSegment(state, { name: 'TAG_API', value: null, source: 'api', at: at(5) });
    expect(state).toEqual(snapshot);
  });
});

describe('manual tagging', () => {
  const tagApi = { name: 'TAG_API', value: null, source: 'api' as const, at: at(30) };

  it('tags the active segment only', () => {
    const state = play([started('2178'), { type: 'held' }, { type: 'resumed' }]);
    const result = tagActiveSegment(state, tagApi);
    expect(result.ok && result.segmentIndex).toBe(2);
    if (!result.ok) return;
    expect(result.state.segments[0]?.tags.some((t) => t.source === 'api')).toBe(false);
    expect(result.state.segments[1]?.tags).toContainEqual({ name: 'TAG_API', value: null, source: 'api', at: at(30) });
  });

  it('during a consultation the consultation segment is the active one', () => {
    const state = play([started('2178'), { type: 'consult-started', to: '2180' }]);
    const result = tagActiveSegment(state, { ...tagApi, source: 'agent-desktop', name: 'TAG_FIN' });
    expect(result).toMatchObject({ ok: true, segmentIndex: 2 });
  });

  it('setting the same tag again from the same source updates it; another source keeps its own', () => {
    let state = play([started('2178')]);
    for (const request of [
      { ...tagApi, value: '1' },
      { ...tagApi, value: '2', at: at(31) },
      { ...tagApi, source: 'agent-desktop' as const, value: 'desk' },
    ]) {
      const result = tagActiveSegment(state, request);
      if (!result.ok) throw new Error(result.message);
      state = result.state;
    }
    expect(activeSegment(state)?.tags.filter((t) => t.name === 'TAG_API')).toEqual([
      { name: 'TAG_API', value: '2', source: 'api', at: at(31) },
      { name: 'TAG_API', value: 'desk', source: 'agent-desktop', at: at(30) },
    ]);
  });

  it.each<[string, CallState | null, string]>([
    ['no call', null, 'no-call'],
    ['on hold', play([started('2178'), { type: 'held' }]), 'on-hold'],
    ['not recorded', play([started('9999')]), 'not-recorded'],
    ['ended', play([started('2178'), { type: 'ended' }]), 'ended'],
    [
      'consent refused on a consent-required segment',
      play([started('3001'), { type: 'consent', given: false }]),
      'not-recorded',
    ],
  ])('is refused with NO_ACTIVE_CALL when %s', (_name, state, reason) => {
    const tagged = tagActiveSegment(state, tagApi);
    const message = expect.stringMatching(/^No active call/);
    expect(tagged).toEqual({ ok: false, code: 'NO_ACTIVE_CALL', reason, message });
    const untagged = untagActiveSegment(state, { name: 'TAG_API', source: 'api' });
    expect(untagged).toMatchObject({ ok: false, code: 'NO_ACTIVE_CALL', reason });
  });

  it('untag removes only the named tag from the given source on the active segment', () => {
    const state = play([started('2178'), { type: 'external-data', tags: { TAG_API: 'from-cce' } }]);
    const tagged = tagActiveSegment(state, tagApi);
    if (!tagged.ok) throw new Error(tagged.message);

    const untagged = untagActiveSegment(tagged.state, { name: 'TAG_API', source: 'api' });
    expect(untagged).toMatchObject({ ok: true, segmentIndex: 1, removed: true });
    if (!untagged.ok) return;
    expect(untagged.state.segments[0]?.tags.map((t) => [t.name, t.source])).toEqual([
      ['TAG', 'recording-rule'],
      ['TAG_API', 'external-data'],
    ]);

    const again = untagActiveSegment(untagged.state, { name: 'TAG_API', source: 'api' });
    expect(again).toEqual({ ok: true, state: untagged.state, segmentIndex: 1, removed: false });
  });
});

describe('external-data tags follow the customer', () => {
  function cceTags(state: CallState): (string | null)[][] {
    return state.segments.map((s) => s.tags.filter((t) => t.source === 'external-data').map((t) => t.value));
  }

  it('tags sent during a hold wait for the next customer segment', () => {
    const state = play([
      started('2178'),
      { type: 'held' },
      { type: 'external-data', tags: { TAG_CCE: 'x' } },
      { type: 'resumed' },
    ]);
    expect(cceTags(state)).toEqual([[], ['x']]);
    expect(state.segments[1]?.tags).toContainEqual({ name: 'TAG_CCE', value: 'x', source: 'external-data', at: at(3) });
  });

  it('tags sent during a consultation skip the consultation and reach the next customer segment', () => {
    const state = play([
      started('2178'),
      { type: 'consult-started', to: '2180' },
      { type: 'external-data', tags: { TAG_CCE: 'x' } },
      { type: 'consult-cancelled' },
    ]);
    expect(cceTags(state)).toEqual([[], [], ['x']]);
  });

  it('a later value replaces the earlier one from then on, leaving ended segments alone', () => {
    const state = play([
      started('2178'),
      { type: 'external-data', tags: { TAG_CCE: '1', OTHER: null } },
      { type: 'held' },
      { type: 'resumed' },
      { type: 'external-data', tags: { TAG_CCE: '2' } },
      { type: 'transferred', to: '2180' },
    ]);
    const fromCce = state.segments.map((s) => s.tags.filter((t) => t.source === 'external-data'));
    expect(fromCce.map((tags) => tags.map((t) => `${t.name}=${t.value}`))).toEqual([
      ['TAG_CCE=1', 'OTHER=null'],
      ['TAG_CCE=2', 'OTHER=null'],
      ['TAG_CCE=2', 'OTHER=null'],
    ]);
    expect(state.externalDataTags).toEqual({ TAG_CCE: '2', OTHER: null });
  });
});

describe('consent', () => {
  it('a segment whose rule does not require consent records consent as metadata only', () => {
    const state = play([started('2178'), { type: 'consent', given: false }]);
    expect(state.segments[0]).toMatchObject({ consentRequired: false, consent: 'refused', mediaKept: true });
  });

  it('a consent-required segment starts pending and keeps media', () => {
    const state = play([started('3001')]);
    expect(state.segments[0]).toMatchObject({ consentRequired: true, consent: 'pending', mediaKept: true });
  });

  it('consent given keeps the media', () => {
    const state = play([started('3001'), { type: 'consent', given: true }]);
    expect(state.segments[0]).toMatchObject({ consent: 'given', mediaKept: true });
  });

  it('consent refused on a consent-required segment discards the media', () => {
    const state = play([started('3001'), { type: 'consent', given: false }]);
    expect(state.segments[0]).toMatchObject({ consent: 'refused', recorded: true, mediaKept: false });
  });

  it('the customer\'s answer carries to later customer segments, not to consultations', () => {
    const state = play([
      started('3001'),
      { type: 'consent', given: false },
      { type: 'held' },
      { type: 'resumed' },
      { type: 'consult-started', to: '3002' },
      { type: 'consult-completed' },
    ]);
    expect(state.segments.map((s) => [s.kind, s.consent, s.mediaKept])).toEqual([
      ['customer', 'refused', false],
      ['customer', 'refused', false],
      ['consultation', 'pending', true],
      ['customer', 'refused', false],
    ]);
  });

  it('consent during a consultation belongs to the consultation, not the customer', () => {
    const state = play([
      started('3001'),
      { type: 'consult-started', to: '3002' },
      { type: 'consent', given: true },
      { type: 'consult-cancelled' },
    ]);
    expect(state.customerConsent).toBeNull();
    expect(state.segments.map((s) => s.consent)).toEqual(['pending', 'given', 'pending']);
  });

  it('a later answer replaces an earlier one on the same segment', () => {
    const state = play([started('3001'), { type: 'consent', given: false }, { type: 'consent', given: true }]);
    expect(state.segments[0]).toMatchObject({ consent: 'given', mediaKept: true });
  });
});
