import { describe, expect, it } from 'vitest';
import { compareDelivery } from '../../../src/domain/contact-record.js';
import { fc } from '../support.js';

/**
 * At-least-once delivery of contact records, in any order and with duplicates: per ContactId the copy with
 * the newest LastUpdateTimestamp is what stays stored, and each ContactId is stored once.
 */
interface Copy {
  contactId: string;
  lastUpdate: Date;
  digest: string;
}

// Each (ContactId, version) is one distinct copy with its own timestamp, so "newest" is well defined.
const copies = fc
  .uniqueArray(fc.record({ contactId: fc.constantFrom('c-1', 'c-2', 'c-3'), version: fc.integer({ min: 0, max: 50 }) }), { selector: (copy) => `${copy.contactId}#${copy.version}`, minLength: 1, maxLength: 12 })
  .map((versions) => versions.map(({ contactId, version }): Copy => ({ contactId, lastUpdate: new Date(Date.UTC(2026, 10, 20, 10, version)), digest: `${contactId}#${version}` })));

/** Every copy delivered at least once, some several times, in a generated order. */
const deliveries = copies.chain((distinct) =>
  fc
    .array(fc.integer({ min: 0, max: distinct.length - 1 }), { maxLength: 10 })
    .map((repeats) => [...distinct, ...repeats.map((index) => distinct[index]!)])
    .chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }))
    .map((order) => ({ distinct, order })),
);

function store(order: readonly Copy[]) {
  const stored = new Map<string, { lastUpdate: Date; digest: string }>();
  const outcomes: string[] = [];
  for (const copy of order) {
    const outcome = compareDelivery(stored.get(copy.contactId), copy);
    outcomes.push(outcome);
    if (outcome === 'created' || outcome === 'updated') stored.set(copy.contactId, { lastUpdate: copy.lastUpdate, digest: copy.digest });
  }
  return { stored, outcomes };
}

describe('merging generated deliveries', () => {
  it('keeps the newest copy per ContactId whatever the order, creating each ContactId once', () => {
    fc.assert(
      fc.property(deliveries, ({ distinct, order }) => {
        const { stored, outcomes } = store(order);
        const contactIds = [...new Set(distinct.map((copy) => copy.contactId))];
        expect([...stored.keys()].sort()).toEqual(contactIds.sort());
        expect(outcomes.filter((outcome) => outcome === 'created')).toHaveLength(contactIds.length);
        for (const contactId of contactIds) {
          const newest = distinct.filter((copy) => copy.contactId === contactId).reduce((a, b) => (b.lastUpdate > a.lastUpdate ? b : a));
          expect(stored.get(contactId)?.digest).toBe(newest.digest);
        }
      }),
    );
  });

  it('answers a replay of the stored copy as a duplicate and changes nothing', () => {
    fc.assert(
      fc.property(deliveries, ({ order }) => {
        const { stored } = store(order);
        for (const [contactId, copy] of stored) {
          expect(compareDelivery(stored.get(contactId), copy)).toBe('duplicate');
        }
      }),
    );
  });
});
