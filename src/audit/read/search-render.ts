import type { AuditPhase } from '../write/audit-writer.js';
import type { AuditRow } from './search-query.js';
import { formatInTimeZone } from './search-time-zone.js';

/** An entry as the Audit Log screen shows it: Date, Activity, User, Username, Description, Result, and the rest. */
export interface RenderedAuditEntry {
  id: string;
  chainSeq: number;
  /** In the requesting user's time zone. */
  date: string;
  occurredAt: string;
  timeZone: string;
  activity: string;
  module: string;
  user: string;
  username: string;
  userId: string;
  actorType: string;
  description: string;
  details: Record<string, unknown>;
  /** OK, FAIL or UNAUTHORIZED; null on a BEGIN entry. */
  result: string | null;
  phase: AuditPhase;
  correlationId: string;
  conversationId: string | null;
}

export function renderAuditEntry(row: AuditRow, timeZone: string): RenderedAuditEntry {
  return {
    id: row.id,
    chainSeq: Number(row.chainSeq),
    date: formatInTimeZone(row.occurredAt, timeZone),
    occurredAt: row.occurredAt,
    timeZone,
    activity: row.activity,
    module: row.module,
    user: row.actorFullName,
    username: row.actorUsername,
    userId: row.actorId,
    actorType: row.actorType,
    description: row.description,
    details: row.details,
    result: row.result,
    // audit_log_phase_ck admits only these.
    phase: row.phase as AuditPhase,
    correlationId: row.correlationId,
    conversationId: row.conversationId,
  };
}
