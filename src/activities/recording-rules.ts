import type { RecordingRule } from '../domain/recording-rules.js';
import { loadRecordingRules } from '../recording-rules/recording-rules.js';
import type { ActivityDeps } from './deps.js';

export function recordingRuleActivities({ db }: ActivityDeps) {
  return {
    /** Read afresh for every batch of call events. */
    loadRecordingRules: (): Promise<RecordingRule[]> => loadRecordingRules(db),
  };
}
