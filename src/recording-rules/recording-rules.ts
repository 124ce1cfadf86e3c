import { asc } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { recordingRules } from '../db/schema/index.js';
import type { RecordingRule } from '../domain/recording-rules.js';

export type RecordingRuleRow = typeof recordingRules.$inferSelect;

/** A stored rule as the domain evaluates it. */
export function recordingRuleOf(row: RecordingRuleRow) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    match: row.match,
    action: row.action,
    tag: row.tagName ? { name: row.tagName, value: row.tagValue } : null,
    requireConsent: row.requireConsent,
    enabled: row.enabled,
  };
}

/** The current rules, in evaluation order (top to bottom, first match wins). */
export async function loadRecordingRules(db: Executor): Promise<RecordingRule[]> {
  const rows = await db.select().from(recordingRules).orderBy(asc(recordingRules.position), asc(recordingRules.createdAt));
  return rows.map(recordingRuleOf);
}
