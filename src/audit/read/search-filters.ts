/** The Audit Log screen's filters, shared by search, export and the benchmark. */
export type AuditResultFilter = 'OK' | 'FAIL' | 'UNAUTHORIZED' | 'NONE';

export interface AuditSearchFilters {
  from: Date;
  to: Date;
  /** Any of these activities; empty means every activity. */
  activities: string[];
  /** An actor id or a username. */
  user?: string;
  /** NONE selects the BEGIN entries, which have no result yet. */
  result?: AuditResultFilter;
  correlationId?: string;
  conversationId?: string;
}

/** The seed's Audit Log screen shows the past 10 days unless told otherwise. */
export const DEFAULT_PERIOD_MS = 10 * 24 * 60 * 60 * 1000;

/** A position in the newest-first order: the entry's exact time (microseconds, UTC) and id. */
export interface AuditCursor {
  occurredAt: string;
  id: string;
}
