import { asc } from 'drizzle-orm';
import { recordingRules } from '../db/schema/index.js';
import type { RecordingRule } from '../domain/recording-rules.js';
import type { ActivityDeps } from './deps.js';

export function recordingRuleActivities({ db }: ActivityDeps) {
  return {
    /** The current rules, in evaluation order; read afresh for every batch of call events. */
    async loadRecordingRules(): Promise<RecordingRule[]> {
      const rows = await db.select().from(recordingRules).orderBy(asc(recordingRules.position), asc(recordingRules.createdAt));
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        position: row.position,
        match: row.match,
        action: row.action,
        tag: row.tagName ? { name: row.tagName, value: row.tagValue } : null,
        requireConsent: row.requireConsent,
        enabled: row.enabled,
      }));
    },
  };
}
