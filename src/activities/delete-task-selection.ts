import { and, eq, sql, type SQL } from 'drizzle-orm';
import { conversations } from '../db/schema/index.js';
import type { DeleteTaskSelection } from '../db/schema/index.js';

/**
 * A delete task's selection as a condition on `conversations`, the SQL twin of `taskSelects` in
 * src/domain/retention.ts (which decides; this only narrows which conversations need to re-plan).
 */
export function deleteTaskSelectionCondition(selection: DeleteTaskSelection): SQL {
  const conditions: SQL[] = [sql`true`];
  if (selection.channel) conditions.push(eq(conversations.channel, selection.channel));
  if (selection.queue) conditions.push(eq(conversations.queueName, selection.queue));
  if (selection.attribute) conditions.push(sql`${conversations.attributes} ->> ${selection.attribute.key} = ${selection.attribute.value}`);
  if (selection.untaggedOnly) conditions.push(sql`not exists (select 1 from conversation_tags t where t.conversation_id = ${conversations.id})`);
  if (selection.tag) {
    const value = selection.tag.value;
    conditions.push(
      value === undefined || value === null
        ? sql`exists (select 1 from conversation_tags t where t.conversation_id = ${conversations.id} and t.name = ${selection.tag.name})`
        : sql`exists (select 1 from conversation_tags t where t.conversation_id = ${conversations.id} and t.name = ${selection.tag.name} and t.value = ${value})`,
    );
  }
  return and(...conditions)!;
}
