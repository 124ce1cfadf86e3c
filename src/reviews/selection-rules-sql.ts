import { and, arrayOverlaps, inArray, sql, type SQL } from 'drizzle-orm';
import { contactRecords, conversationTags, conversations, users } from '../db/schema/index.js';
import type { CallSelectionRules } from '../db/schema/index.js';

/**
 * Call selection rules as a condition on `conversations`: every given criterion must hold; no criteria
 * selects everything. Times of day are read in `timeZone` (the plan's).
 */
export function selectionRuleCondition(rules: CallSelectionRules, timeZone: string): SQL {
  const parts: SQL[] = [];
  if (rules.channels?.length) parts.push(inArray(conversations.channel, rules.channels));
  if (rules.queues?.length) parts.push(inArray(conversations.queueName, rules.queues));
  if (rules.agentGroups?.length) {
    parts.push(sql`${conversations.agentUsername} in (select ${users.username} from ${users} where ${arrayOverlaps(users.groupNames, rules.agentGroups)})`);
  }
  for (const tag of rules.tags ?? []) {
    const value = tag.value === undefined || tag.value === null ? sql`` : sql` and ${conversationTags.value} = ${tag.value}`;
    parts.push(sql`exists (select 1 from ${conversationTags} where ${conversationTags.conversationId} = ${conversations.id} and ${conversationTags.name} = ${tag.name}${value})`);
  }
  const duration = sql`extract(epoch from (${conversations.endedAt} - ${conversations.startedAt}))`;
  if (rules.minDurationSeconds !== undefined) parts.push(sql`${duration} >= ${rules.minDurationSeconds}`);
  if (rules.maxDurationSeconds !== undefined) parts.push(sql`${duration} <= ${rules.maxDurationSeconds}`);
  if (rules.directions?.length) {
    parts.push(sql`exists (select 1 from ${contactRecords} where ${contactRecords.conversationId} = ${conversations.id} and ${inArray(contactRecords.initiationMethod, rules.directions)})`);
  }
  if (rules.metadataKeys?.length) parts.push(sql`${conversations.attributes} ?& ${sql.param(rules.metadataKeys)}::text[]`);
  if (rules.timeOfDay) {
    const local = sql`(${conversations.startedAt} at time zone ${timeZone})::time`;
    const { from, to } = rules.timeOfDay;
    parts.push(from <= to ? sql`(${local} >= ${from}::time and ${local} < ${to}::time)` : sql`(${local} >= ${from}::time or ${local} < ${to}::time)`);
  }
  return parts.length > 0 ? and(...parts)! : sql`true`;
}
