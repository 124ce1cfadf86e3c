import { describe, expect, it } from 'vitest';
import { decideRetention, RETENTION_REASON_CODES, type RetentionFacts } from '../../../src/domain/retention-decision.js';
import type { DeleteTaskRule } from '../../../src/domain/retention.js';
import { fc } from '../support.js';

/**
 * Generated conversation facts and delete tasks: the retention decision never lets a conversation go
 * while a legal hold, an open review or a protection (tag, extension, or one granted earlier) covers it.
 */
const DAY_MS = 24 * 3600 * 1000;
const epoch = Date.UTC(2020, 0, 1);
const date = fc.integer({ min: 0, max: 12 * 365 }).map((days) => new Date(epoch + days * DAY_MS));
const tagNames = fc.constantFrom('MIFID', 'COMPLAINT', 'VIP');
const channel = fc.constantFrom('VOICE', 'CHAT', 'EMAIL');

/** Mostly none, so that conversations with nothing keeping them (and so deletions) are generated too. */
const fewOrNone = <T,>(item: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: fc.constant([] as T[]) }, { weight: 1, arbitrary: fc.array(item, { minLength: 1, maxLength: 2 }) });

const facts: fc.Arbitrary<RetentionFacts> = fc.record({
  startedAt: date,
  channel,
  queue: fc.option(fc.constantFrom('sales', 'support')),
  attributes: fc.dictionary(fc.constantFrom('lob', 'region'), fc.constantFrom('retail', 'eu')),
  tags: fc.array(fc.record({ name: tagNames, value: fc.option(fc.constantFrom('1', '2')) }), { maxLength: 3 }),
  protectingTags: fewOrNone(fc.record({ name: tagNames, protectionYears: fc.integer({ min: 0, max: 7 }) })),
  protectedUntil: fc.option(date, { freq: 2 }),
  extensions: fewOrNone(fc.record({ until: date })),
  holds: fewOrNone(fc.record({ id: fc.uuid() })),
  openReviews: fewOrNone(fc.record({ id: fc.uuid() })),
});

const task: fc.Arbitrary<DeleteTaskRule> = fc.record({
  id: fc.uuid(),
  name: fc.constantFrom('Voice 5y', 'All 7y', 'Chats 1y'),
  enabled: fc.boolean(),
  retentionSeconds: fc.integer({ min: 0, max: 3 * 365 }).map((days) => days * 24 * 3600),
  selection: fc.record(
    {
      channel: fc.option(channel),
      queue: fc.option(fc.constantFrom('sales', 'support')),
      attribute: fc.option(fc.record({ key: fc.constantFrom('lob', 'region'), value: fc.constantFrom('retail', 'eu') })),
      untaggedOnly: fc.boolean(),
      tag: fc.option(fc.record({ name: tagNames, value: fc.option(fc.constantFrom('1', '2')) })),
    },
    { requiredKeys: [] },
  ),
});

const latestProtection = (subject: RetentionFacts): number =>
  Math.max(
    subject.protectedUntil?.getTime() ?? -Infinity,
    ...subject.extensions.map((extension) => extension.until.getTime()),
    ...subject.protectingTags.filter((tag) => tag.protectionYears > 0).map((tag) => subject.startedAt.getTime() + tag.protectionYears * 365.25 * DAY_MS),
  );

describe('the retention decision on generated facts', () => {
  it('never says delete while a hold, an open review or a protection covers the conversation', () => {
    let deletions = 0;
    fc.assert(
      fc.property(facts, fc.array(task, { maxLength: 4 }), date, (subject, tasks, now) => {
        const decision = decideRetention(subject, tasks, now);
        if (decision.verdict !== 'delete') return;
        deletions += 1;
        expect(subject.holds).toEqual([]);
        expect(subject.openReviews).toEqual([]);
        expect(latestProtection(subject)).toBeLessThanOrEqual(now.getTime());
        expect(decision.status).toBe('due');
        if (decision.status === 'due') expect(decision.deleteAt.getTime()).toBeLessThanOrEqual(now.getTime());
      }),
    );
    // The generators reach deletions at all, so the property is not vacuous.
    expect(deletions).toBeGreaterThan(0);
  });

  it('is held exactly when a hold is active, and lists its reasons in precedence order', () => {
    fc.assert(
      fc.property(facts, fc.array(task, { maxLength: 4 }), date, (subject, tasks, now) => {
        const decision = decideRetention(subject, tasks, now);
        expect(decision.status === 'held').toBe(subject.holds.length > 0);
        const positions = decision.reasons.map((reason) => RETENTION_REASON_CODES.indexOf(reason.code));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
        if (subject.holds.length > 0) expect(decision.reasons[0].code).toBe('legal-hold');
      }),
    );
  });

  it('only delays deletion as time passes: once due to delete, it stays so later (holds and facts unchanged)', () => {
    fc.assert(
      fc.property(facts, fc.array(task, { maxLength: 4 }), date, fc.integer({ min: 0, max: 3650 }), (subject, tasks, now, laterDays) => {
        const first = decideRetention(subject, tasks, now);
        if (first.verdict !== 'delete') return;
        expect(decideRetention(subject, tasks, new Date(now.getTime() + laterDays * DAY_MS)).verdict).toBe('delete');
      }),
    );
  });
});
