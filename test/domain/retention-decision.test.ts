import { describe, expect, it } from 'vitest';
import { decideRetention, RETENTION_REASON_CODES, RETENTION_REASON_LABELS, type RetentionFacts } from '../../src/domain/retention-decision.js';
import { protectionEnd, type DeleteTaskRule } from '../../src/domain/retention.js';

const start = new Date('2026-01-01T00:00:00Z');
const DAY = 24 * 3600;
const at = (days: number) => new Date(start.getTime() + days * DAY * 1000);
const facts = (overrides: Partial<RetentionFacts> = {}): RetentionFacts => ({
  channel: 'VOICE',
  queue: 'Trading',
  attributes: {},
  startedAt: start,
  tags: [],
  protectingTags: [],
  protectedUntil: null,
  extensions: [],
  holds: [],
  ...overrides,
});
const task = (overrides: Partial<DeleteTaskRule> = {}): DeleteTaskRule => ({ id: 't90', name: 'after 90 days', enabled: true, retentionSeconds: 90 * DAY, selection: {}, ...overrides });
const codes = (decision: ReturnType<typeof decideRetention>) => decision.reasons.map((reason) => reason.code);

const MIFID_5Y = { name: 'MIFID_5Y', protectionYears: 5 };
const tagged = (overrides: Partial<RetentionFacts> = {}) =>
  facts({ tags: [{ name: MIFID_5Y.name, value: null }], protectingTags: [MIFID_5Y], protectedUntil: protectionEnd(start, 5), ...overrides });

describe('the retention decision', () => {
  it('deletes once the window of the first-ending task has elapsed and nothing keeps it: retention-elapsed', () => {
    const decision = decideRetention(facts(), [task({ id: 't365', name: 'after a year', retentionSeconds: 365 * DAY }), task()], at(91));
    expect(decision).toMatchObject({ status: 'due', verdict: 'delete', taskId: 't90', deleteAt: at(90), protectionDelays: false });
    expect(decision.reasons).toEqual([
      { code: 'retention-elapsed', text: 'retention window of delete task "after 90 days" elapsed', taskId: 't90', taskName: 'after 90 days', dueAt: at(90).toISOString() },
    ]);
  });

  it('keeps it while the window is open: task-window-open', () => {
    const decision = decideRetention(facts(), [task()], at(10));
    expect(decision).toMatchObject({ status: 'due', verdict: 'keep', deleteAt: at(90) });
    expect(decision.reasons).toEqual([
      {
        code: 'task-window-open',
        text: `retention window of delete task "after 90 days" runs until ${at(90).toISOString()}`,
        taskId: 't90',
        taskName: 'after 90 days',
        until: at(90).toISOString(),
      },
    ]);
  });

  it('keeps it when no enabled task selects it: no-delete-task', () => {
    const decision = decideRetention(facts(), [task({ enabled: false }), task({ id: 'chat', selection: { channel: 'CHAT' } })], at(1000));
    expect(decision).toMatchObject({ status: 'keep', verdict: 'keep' });
    expect(decision.reasons).toEqual([{ code: 'no-delete-task', text: 'no delete task selects it' }]);
  });

  it('keeps it under a legal hold, whatever the task says: legal-hold', () => {
    const decision = decideRetention(facts({ holds: [{ id: 'h1' }, { id: 'h2' }] }), [task()], at(1000));
    expect(decision).toMatchObject({ status: 'held', holds: 2, verdict: 'keep' });
    expect(decision.reasons).toEqual([{ code: 'legal-hold', text: 'under 2 active legal holds', holdIds: ['h1', 'h2'] }]);
    expect(decideRetention(facts({ holds: [{ id: 'h1' }] }), [task()], at(1000)).reasons[0]?.text).toBe('under 1 active legal hold');
  });

  it('keeps it while a review of it is open, after its window: open-review', () => {
    const decision = decideRetention(facts({ openReviews: [{ id: 'r1' }] }), [task()], at(1000));
    expect(decision).toMatchObject({ status: 'due', verdict: 'keep', deleteAt: at(90) });
    expect(decision.reasons).toEqual([{ code: 'open-review', text: 'under 1 open review, kept until completed or removed', reviewIds: ['r1'] }]);
    // Completed or removed, it no longer keeps it: the task deletes it.
    expect(decideRetention(facts({ openReviews: [] }), [task()], at(1000)).verdict).toBe('delete');
    // A legal hold comes first; the review is listed after it.
    expect(codes(decideRetention(facts({ holds: [{ id: 'h1' }], openReviews: [{ id: 'r1' }, { id: 'r2' }] }), [task()], at(1000)))).toEqual(['legal-hold', 'open-review']);
  });

  it('keeps a conversation with a protecting tag past its window, and deletes it when the protection ends: protected-tag', () => {
    const until = protectionEnd(start, 5);
    const decision = decideRetention(tagged(), [task()], at(100));
    expect(decision).toMatchObject({ status: 'due', verdict: 'keep', deleteAt: until, protectionDelays: true, protectedUntil: until });
    expect(decision.reasons).toEqual([
      { code: 'protected-tag', text: `MiFID II protection by tag MIFID_5Y until ${until.toISOString()}`, tags: ['MIFID_5Y'], until: until.toISOString() },
    ]);
    const after = decideRetention(tagged(), [task()], new Date(until.getTime() + 1));
    expect(after).toMatchObject({ verdict: 'delete', deleteAt: until });
    expect(codes(after)).toEqual(['retention-elapsed']);
  });

  it("keeps it until an authority's extension ends: retention-extension", () => {
    const until = at(200);
    const decision = decideRetention(facts({ protectedUntil: until, extensions: [{ until: at(150) }, { until }] }), [task()], at(100));
    expect(decision).toMatchObject({ status: 'due', verdict: 'keep', deleteAt: until });
    expect(decision.reasons).toEqual([{ code: 'retention-extension', text: `retention extended on an authority's request until ${until.toISOString()}`, until: until.toISOString() }]);
  });

  it('keeps a protection a removed tag granted, which neither a tag nor an extension explains: protection-kept', () => {
    const until = protectionEnd(start, 7);
    const decision = decideRetention(facts({ protectedUntil: until }), [task()], at(100));
    expect(decision).toMatchObject({ verdict: 'keep', deleteAt: until });
    expect(decision.reasons).toEqual([
      { code: 'protection-kept', text: `protection granted earlier (by a tag since removed or redefined) until ${until.toISOString()}`, until: until.toISOString() },
    ]);
    // A shorter protecting tag explains only part of it.
    expect(codes(decideRetention(tagged({ protectedUntil: until }), [task()], at(100)))).toEqual(['protected-tag', 'protection-kept']);
  });

  it('never lets a known protection end earlier than the one on record says, nor the other way round', () => {
    // The tag's protection is not mirrored on the row yet: it protects all the same.
    const decision = decideRetention(tagged({ protectedUntil: null }), [task()], at(100));
    expect(decision).toMatchObject({ verdict: 'keep', protectedUntil: protectionEnd(start, 5) });
    expect(codes(decision)).toEqual(['protected-tag']);
  });

  it('lists every reason that keeps it, in precedence order: hold, extension, tag, earlier protection, task', () => {
    const decision = decideRetention(
      tagged({ holds: [{ id: 'h1' }], extensions: [{ until: protectionEnd(start, 6) }], protectedUntil: protectionEnd(start, 7) }),
      [task({ retentionSeconds: 365 * 10 * DAY })],
      at(10),
    );
    expect(decision).toMatchObject({ status: 'held', verdict: 'keep' });
    expect(codes(decision)).toEqual(['legal-hold', 'retention-extension', 'protected-tag', 'protection-kept', 'task-window-open']);
    expect(codes(decideRetention(tagged({ holds: [{ id: 'h1' }] }), [], at(10)))).toEqual(['legal-hold', 'protected-tag', 'no-delete-task']);
    // The published precedence is the order the decision lists them in.
    const order = RETENTION_REASON_CODES.filter((code) => codes(decision).includes(code));
    expect(order).toEqual(codes(decision));
  });

  it('drops a protection or a window that has ended', () => {
    const decision = decideRetention(tagged({ holds: [{ id: 'h1' }], extensions: [{ until: at(30) }] }), [task()], protectionEnd(start, 6));
    expect(decision).toMatchObject({ status: 'held', verdict: 'keep' });
    expect(codes(decision)).toEqual(['legal-hold']);
  });

  it('gives every code a label, the key the delete run report counts its skips by', () => {
    expect(RETENTION_REASON_CODES).toEqual([
      'legal-hold',
      'open-review',
      'retention-extension',
      'protected-tag',
      'protection-kept',
      'no-delete-task',
      'task-window-open',
      'retention-elapsed',
    ]);
    expect(RETENTION_REASON_LABELS['legal-hold']).toBe('legal hold');
    expect(RETENTION_REASON_LABELS['open-review']).toBe('open review');
    expect(RETENTION_REASON_LABELS['protected-tag']).toBe('protected (MiFID II tag or extension)');
    for (const code of RETENTION_REASON_CODES) expect(RETENTION_REASON_LABELS[code]).toMatch(/\w/);
  });
});
