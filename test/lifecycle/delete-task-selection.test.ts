import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteTaskSelectionCondition } from '../../src/activities/delete-task-selection.js';
import { conversationTags, conversations, type DeleteTaskSelection } from '../../src/db/schema/index.js';
import { taskSelects } from '../../src/domain/retention.js';
import { selectionSubjectOf } from '../../src/retention/retention-facts.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness } from '../support/harness.js';
import { ensureTags, uniqueId } from '../support/lifecycle.js';

/**
 * The re-plan after a task change finds candidates with a SQL condition; deciding stays with the domain's
 * `taskSelects`. They must agree, or a changed task would leave some conversations on their old plan.
 */
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => harness?.close());

describe('the SQL form of a delete task selection', () => {
  it('selects exactly the conversations the domain rule selects', async () => {
    const scope = uniqueId('sel');
    const [topic, other] = [uniqueId('TOPIC').toUpperCase().replace(/-/g, '_'), uniqueId('OTHER').toUpperCase().replace(/-/g, '_')];
    await ensureTags(harness, [{ name: topic }, { name: other }]);
    const shapes = [
      { Channel: 'VOICE', queue: 'Trading Desk', desk: 'fx', tag: [topic, 'a'] },
      { Channel: 'VOICE', queue: 'Trading Desk', desk: 'rates', tag: [topic, 'b'] },
      { Channel: 'CHAT', queue: 'Retail', desk: 'fx', tag: [other, null] },
      { Channel: 'CHAT', queue: 'Retail', desk: 'rates', tag: null },
      { Channel: 'VOICE', queue: 'Retail', desk: 'fx', tag: null },
    ] as const;
    const ids: string[] = [];
    for (const shape of shapes) {
      const record = contactRecord({ Channel: shape.Channel, Queue: { Name: shape.queue }, Attributes: { scope, desk: shape.desk } });
      const id: string = (await harness.http('POST', '/v1/contact-records', record)).body.results[0].conversationId;
      if (shape.tag) expect((await harness.http('POST', `/v1/conversations/${id}/tags`, { name: shape.tag[0], value: shape.tag[1] })).status).toBeLessThan(300);
      ids.push(id);
    }

    const selections: DeleteTaskSelection[] = [
      {},
      { channel: 'VOICE' },
      { queue: 'Retail' },
      { attribute: { key: 'desk', value: 'fx' } },
      { untaggedOnly: true },
      { tag: { name: topic } },
      { tag: { name: topic, value: 'b' } },
      { channel: 'CHAT', untaggedOnly: true },
      { channel: 'VOICE', attribute: { key: 'desk', value: 'fx' }, tag: { name: topic, value: null } },
    ];
    const rows = await harness.db.select().from(conversations).where(inArray(conversations.id, ids));
    const tags = await harness.db.selectDistinct({ conversationId: conversationTags.conversationId, name: conversationTags.name, value: conversationTags.value }).from(conversationTags).where(inArray(conversationTags.conversationId, ids));
    for (const selection of selections) {
      const rule = { id: 'rule', name: 'rule', enabled: true, retentionSeconds: 1, selection };
      const byDomain = rows
        .filter((row) => taskSelects(rule, selectionSubjectOf(row, tags.filter((tag) => tag.conversationId === row.id))))
        .map((row) => row.id)
        .sort();
      const bySql = (await harness.db.select({ id: conversations.id }).from(conversations).where(and(inArray(conversations.id, ids), deleteTaskSelectionCondition(selection))))
        .map((row) => row.id)
        .sort();
      expect(bySql, JSON.stringify(selection)).toEqual(byDomain);
      expect(byDomain.length, `${JSON.stringify(selection)} selects none of the sample: the case proves nothing`).toBeGreaterThan(0);
    }
    expect((await harness.db.select().from(conversations).where(eq(conversations.id, ids[0]!)))[0]?.queueName).toBe('Trading Desk');
  });
});
