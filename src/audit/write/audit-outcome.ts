import type { Executor } from '../../db/client.js';
import { activityDefinition } from '../../domain/audit-catalogue.js';
import type { Actor } from './actor.js';
import { appendAudit, type AuditResult } from './audit-writer.js';

/**
 * Audits a request that ended without its normal audited change (refused, failed): one SYNC entry for a
 * synchronous activity, the BEGIN/END pair for an asynchronous one.
 */
export async function appendOutcome(
  executor: Executor,
  entry: {
    activity: string;
    result: AuditResult;
    actor: Actor;
    description: string;
    details?: Record<string, unknown>;
    correlationId: string;
    conversationId?: string | null;
  },
): Promise<void> {
  const base = { ...entry, details: entry.details ?? {}, conversationId: entry.conversationId ?? null };
  if (activityDefinition(entry.activity).kind === 'sync') {
    await appendAudit(executor, [{ ...base, phase: 'SYNC' }]);
  } else {
    await appendAudit(executor, [
      { ...base, phase: 'BEGIN', result: null },
      { ...base, phase: 'END' },
    ]);
  }
}
