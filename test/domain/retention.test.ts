import { describe, expect, it } from 'vitest';
import { decideRetention, type RetentionFacts } from '../../src/domain/retention-decision.js';
import { laterOf, protectionEnd, type DeleteTaskRule } from '../../src/domain/retention.js';

const start = new Date('2026-01-01T00:00:00Z');
const days = (n: number) => n * 24 * 3600;
const subject = (overrides: Partial<RetentionFacts> = {}): RetentionFacts => ({
  channel: 'VOICE',
  queue: 'Trading',
  attributes: { lineOfBusiness: 'retail' },
  startedAt: start,
  tags: [],
  protectingTags: [],
  protectedUntil: null,
  extensions: [],
  holds: [],
  ...overrides,
});
/** Planned as the conversation starts; test/domain/retention-decision.test.ts covers the reasons at other moments. */
const planRetention = (facts: RetentionFacts, tasks: readonly DeleteTaskRule[]) => decideRetention(facts, tasks, start);
const task = (overrides: Partial<DeleteTaskRule>): DeleteTaskRule => ({
  id: 't1',
  name: 'untagged after 90 days',
  enabled: true,
  retentionSeconds: days(90),
  selection: { untaggedOnly: true },
  ...overrides,
});

describe('retention planning', () => {
  it('deletes untagged conversations when the delete task says so', () => {
    const plan = planRetention(subject(), [task({})]);
    expect(plan).toMatchObject({ status: 'due', taskId: 't1', deleteAt: new Date('2026-04-01T00:00:00Z') });
  });

  it('skips tagged conversations for an untagged-only task, as the seed delete tool skips tagged segments', () => {
    expect(planRetention(subject({ tags: [{ name: 'MIFID', value: null }] }), [task({})])).toMatchObject({ status: 'keep' });
  });

  it('picks the earliest of several matching tasks and ignores disabled ones', () => {
    const plan = planRetention(subject(), [
      task({ id: 'long', retentionSeconds: days(365) }),
      task({ id: 'off', retentionSeconds: days(1), enabled: false }),
      task({ id: 'voice', retentionSeconds: days(30), selection: { channel: 'VOICE' } }),
      task({ id: 'chat', retentionSeconds: days(2), selection: { channel: 'CHAT' } }),
    ]);
    expect(plan).toMatchObject({ status: 'due', taskId: 'voice' });
  });

  it('lets a protection delay a task that would delete earlier, never the other way round', () => {
    const protectedUntil = protectionEnd(start, 5);
    const plan = planRetention(subject({ tags: [{ name: 'MIFID', value: null }], protectedUntil }), [task({ selection: {} })]);
    expect(plan).toMatchObject({ status: 'due', deleteAt: protectedUntil, protectionDelays: true });
    const late = planRetention(subject({ protectedUntil }), [task({ selection: {}, retentionSeconds: days(365 * 8) })]);
    expect(late).toMatchObject({ status: 'due', protectionDelays: false });
  });

  it('puts a legal hold above everything', () => {
    expect(planRetention(subject({ holds: [{ id: 'h1' }] }), [task({ retentionSeconds: 0 })])).toMatchObject({ status: 'held', holds: 1 });
  });

  it('selects by tag name and value', () => {
    const rule = task({ selection: { tag: { name: 'TOPIC', value: 'marketing' } } });
    expect(planRetention(subject({ tags: [{ name: 'TOPIC', value: 'marketing' }] }), [rule]).status).toBe('due');
    expect(planRetention(subject({ tags: [{ name: 'TOPIC', value: 'advice' }] }), [rule]).status).toBe('keep');
  });

  it('selects by queue and by a metadata attribute', () => {
    expect(planRetention(subject(), [task({ selection: { queue: 'Trading' } })]).status).toBe('due');
    expect(planRetention(subject(), [task({ selection: { queue: 'Retail' } })]).status).toBe('keep');
    expect(planRetention(subject(), [task({ selection: { attribute: { key: 'lineOfBusiness', value: 'retail' } } })]).status).toBe('due');
    expect(planRetention(subject(), [task({ selection: { attribute: { key: 'lineOfBusiness', value: 'private' } } })]).status).toBe('keep');
  });

  it('only ever extends a protection', () => {
    const five = protectionEnd(start, 5);
    const seven = protectionEnd(start, 7);
    expect(laterOf(seven, five)).toEqual(seven);
    expect(laterOf(five, seven)).toEqual(seven);
    expect(laterOf(null, five)).toEqual(five);
    expect(laterOf(five, null)).toEqual(five);
  });
});
