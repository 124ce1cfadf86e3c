/**
 * The seed's "Call Flow Examples and Call Tagging" tables, one test per table. Each flow runs once with all
 * four tag sources in the same call (full table) and once per source on its own (that source's column).
 */
import { describe, expect, it } from 'vitest';
import { applyCallEvent, type CallEventPayload, type CallState } from '../../src/domain/call-segments.js';
import type { RecordingRule } from '../../src/domain/recording-rules.js';
import { tagActiveSegment, type TagSource } from '../../src/domain/segment-tags.js';

const CUSTOMER = '+420222111000';

const SEED_RULES: RecordingRule[] = [
  {
    id: 'rule-1',
    name: 'Record 2180 without TAG',
    position: 1,
    match: { type: 'phone', pattern: '2180' },
    action: 'record',
  },
  {
    id: 'rule-2',
    name: 'Record 2178 with TAG',
    position: 2,
    match: { type: 'phone', pattern: '2178' },
    action: 'record',
    tag: { name: 'TAG' },
  },
];

type SentTagSource = Exclude<TagSource, 'recording-rule'>;
type Step = CallEventPayload | { type: 'tag'; source: SentTagSource; name: string; value: string | null };

const COLUMNS: Record<string, TagSource> = {
  'Rec rules': 'recording-rule',
  API: 'api',
  Gadgets: 'agent-desktop',
  'UCCE IM': 'external-data',
};

/** `TAG` is a tag without a value, `TAG=2` one with value "2". */
function parseTag(cell: string): { name: string; value: string | null } {
  const [name = '', ...value] = cell.split('=');
  return { name, value: value.length > 0 ? value.join('=') : null };
}

const customerCalls = (agent: string): Step => ({
  type: 'started',
  callId: 'seed-call',
  customer: CUSTOMER,
  agent,
  direction: 'inbound',
});
const hold: Step = { type: 'held' };
const resume: Step = { type: 'resumed' };
const blindTransferTo = (to: string): Step => ({ type: 'transferred', to });
const consultWith = (to: string): Step => ({ type: 'consult-started', to });
const completeConsultTransfer: Step = { type: 'consult-completed' };
const hangUp: Step = { type: 'ended' };
const viaApi = (tag: string): Step => ({ type: 'tag', source: 'api', ...parseTag(tag) });
const viaFinesse = (tag: string): Step => ({ type: 'tag', source: 'agent-desktop', ...parseTag(tag) });
const viaUcce = (tag: string): Step => ({ type: 'tag', source: 'external-data', ...parseTag(tag) });

function at(step: number): string {
  return new Date(Date.UTC(2024, 2, 1, 9, 0, step)).toISOString();
}

function runCallFlow(steps: readonly Step[]): CallState {
  let state: CallState | null = null;
  steps.forEach((step, i) => {
    const stamp = { eventId: `seed-${i}`, at: at(i) };
    if (step.type === 'tag' && step.source !== 'external-data') {
      const result = tagActiveSegment(state, { name: step.name, value: step.value, source: step.source, at: stamp.at });
      if (!result.ok) throw new Error(`step ${i}: ${step.source} tag ${step.name} refused: ${result.message}`);
      state = result.state;
      return;
    }
    const event: CallEventPayload =
      step.type === 'tag' ? { type: 'external-data', tags: { [step.name]: step.value } } : step;
    const result = applyCallEvent(state, { ...event, ...stamp }, SEED_RULES);
    if (!result.ok) throw new Error(`step ${i}: ${event.type} rejected: ${result.message}`);
    state = result.state;
  });
  if (state === null) throw new Error('the flow has no steps');
  return state;
}

type TagTable = { columns: string[]; rows: Record<string, string>[] };

function parseTagTable(text: string): TagTable {
  const [header, ...body] = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split('|').map((cell) => cell.trim()));
  if (!header) throw new Error('empty table');
  const columns = header.slice(1);
  for (const column of columns) if (!(column in COLUMNS)) throw new Error(`unknown column "${column}"`);
  const rows = body.map(([label = '', ...cells], i) => {
    if (parseInt(label, 10) !== i + 1) throw new Error(`row ${i + 1} is labelled "${label}"`);
    return Object.fromEntries([['segment', label], ...columns.map((column, c) => [column, cells[c] ?? ''])]);
  });
  return { columns, rows };
}

function ordinal(n: number): string {
  return `${n}${['th', 'st', 'nd', 'rd'][n] ?? 'th'} segment`;
}

function formatTags(state: CallState, segmentIndex: number, source: TagSource): string {
  const tags = state.segments[segmentIndex]?.tags.filter((tag) => tag.source === source) ?? [];
  if (tags.length === 0) return '-';
  return tags.map((tag) => (tag.value === null ? tag.name : `${tag.name}=${tag.value}`)).join(', ');
}

function actualTagTable(state: CallState, columns: readonly string[]): Record<string, string>[] {
  return state.segments.map((_, i) =>
    Object.fromEntries([
      ['segment', ordinal(i + 1)],
      ...columns.map((column) => [column, formatTags(state, i, COLUMNS[column] ?? 'recording-rule')]),
    ]),
  );
}

function expectCallFlow(steps: readonly Step[], table: string): CallState {
  const expected = parseTagTable(table);
  const state = runCallFlow(steps);
  expect(actualTagTable(state, expected.columns), 'all sources in one call').toEqual(expected.rows);
  for (const segment of state.segments) {
    expect(segment.tags.every((tag) => expected.columns.some((column) => COLUMNS[column] === tag.source))).toBe(true);
  }

  for (const source of ['api', 'agent-desktop', 'external-data'] as const) {
    const column = expected.columns.find((name) => COLUMNS[name] === source);
    if (!column) continue;
    const alone = runCallFlow(steps.filter((step) => step.type !== 'tag' || step.source === source));
    const actualColumn = actualTagTable(alone, [column]);
    const expectedColumn = expected.rows.map((row) => ({ segment: row.segment, [column]: row[column] }));
    expect(actualColumn, `${column} on its own`).toEqual(expectedColumn);
  }
  return state;
}

describe('seed: call flow examples and call tagging', () => {
  it('basic call (no hold, no transfer)', () => {
    const state = expectCallFlow(
      [customerCalls('2178'), viaApi('TAG_API'), viaFinesse('TAG_FIN'), viaUcce('TAG_CCE'), hangUp],
      `
                  | Rec rules | API     | Gadgets | UCCE IM
      1st segment | TAG       | TAG_API | TAG_FIN | TAG_CCE
      `,
    );
    expect(state.segments[0]).toMatchObject({ recorded: true, ruleId: 'rule-2', endedAt: at(4) });
  });

  it('basic call with hold (no transfer), tags added before HOLD', () => {
    expectCallFlow(
      [customerCalls('2178'), viaApi('TAG_API'), viaFinesse('TAG_FIN'), viaUcce('TAG_CCE'), hold, resume, hangUp],
      `
                  | Rec rules | API     | Gadgets | UCCE IM
      1st segment | TAG       | TAG_API | TAG_FIN | TAG_CCE
      2nd segment | TAG       | -       | -       | TAG_CCE
      `,
    );
  });

  it('basic call with hold (no transfer), tags added after HOLD', () => {
    expectCallFlow(
      [customerCalls('2178'), hold, resume, viaApi('TAG_API'), viaFinesse('TAG_FIN'), viaUcce('TAG_CCE'), hangUp],
      `
                  | Rec rules | API     | Gadgets | UCCE IM
      1st segment | TAG       | -       | -       | -
      2nd segment | TAG       | TAG_API | TAG_FIN | TAG_CCE
      `,
    );
  });

  it('transferred call (blind transfer) from 2178 (rule 2, TAG) to 2180 (rule 1, no TAG)', () => {
    const state = expectCallFlow(
      [
        customerCalls('2178'),
        viaApi('TAG_API'),
        viaFinesse('TAG_FIN'),
        viaUcce('TAG_CCE'),
        blindTransferTo('2180'),
        hangUp,
      ],
      `
                  | Rec rules | API     | Gadgets | UCCE IM
      1st segment | TAG       | TAG_API | TAG_FIN | TAG_CCE
      2nd segment | -         | -       | -       | TAG_CCE
      `,
    );
    expect(state.segments.map((s) => [s.parties.b, s.recorded, s.ruleId])).toEqual([
      ['2178', true, 'rule-2'],
      ['2180', true, 'rule-1'],
    ]);
  });

  it('transferred call (consult transfer): 3 segments, the consultation is judged as a separate call', () => {
    const state = expectCallFlow(
      [
        customerCalls('2178'),
        viaApi('TAG_API'),
        viaFinesse('TAG_FIN'),
        viaUcce('TAG_CCE'),
        consultWith('2180'),
        completeConsultTransfer,
        hangUp,
      ],
      `
                  | Rec rules | API     | Gadgets | UCCE IM
      1st segment | TAG       | TAG_API | TAG_FIN | TAG_CCE
      2nd segment | -         | -       | -       | -
      3rd segment | -         | -       | -       | TAG_CCE
      `,
    );
    expect(state.segments.map((s) => [s.kind, s.parties, s.ruleId])).toEqual([
      ['customer', { a: CUSTOMER, b: '2178' }, 'rule-2'],
      ['consultation', { a: '2178', b: '2180' }, 'rule-1'],
      ['customer', { a: CUSTOMER, b: '2180' }, 'rule-1'],
    ]);
  });

  // The seed's UCCE bullet says TAG_API here, a copy slip: its table and every other flow use TAG_CCE.
  it('basic call with hold with updating TAGs (=1, =2 before HOLD, =3 after)', () => {
    expectCallFlow(
      [
        customerCalls('2178'),
        viaApi('TAG_API=1'),
        viaFinesse('TAG_FIN=1'),
        viaUcce('TAG_CCE=1'),
        viaApi('TAG_API=2'),
        viaFinesse('TAG_FIN=2'),
        viaUcce('TAG_CCE=2'),
        hold,
        resume,
        viaApi('TAG_API=3'),
        viaFinesse('TAG_FIN=3'),
        viaUcce('TAG_CCE=3'),
        hangUp,
      ],
      `
                  | Rec rules | API       | Gadgets   | UCCE IM
      1st segment | TAG       | TAG_API=2 | TAG_FIN=2 | TAG_CCE=2
      2nd segment | TAG       | TAG_API=3 | TAG_FIN=3 | TAG_CCE=3
      `,
    );
  });
});

describe('the table helper itself', () => {
  it('fails when a cell differs, so the flows above can fail', () => {
    const steps = [customerCalls('2178'), viaApi('TAG_API'), hangUp];
    expect(() =>
      expectCallFlow(
        steps,
        `
                    | Rec rules | API
        1st segment | TAG       | TAG_API=1
        `,
      ),
    ).toThrow();
  });

  it('fails when the table has fewer segments than the call', () => {
    expect(() =>
      expectCallFlow(
        [customerCalls('2178'), hold, resume, hangUp],
        `
                    | Rec rules
        1st segment | TAG
        `,
      ),
    ).toThrow();
  });

  it('fails when a source leaves tags in a column the table does not show', () => {
    expect(() =>
      expectCallFlow(
        [customerCalls('2178'), viaUcce('TAG_CCE'), hangUp],
        `
                    | Rec rules | API
        1st segment | TAG       | -
        `,
      ),
    ).toThrow();
  });
});
