import { auditLog } from '../../db/schema/index.js';
import type { Executor } from '../../db/client.js';
import { activityDefinition } from '../../domain/audit-catalogue.js';
import type { Actor } from './actor.js';

export type AuditResult = 'OK' | 'FAIL' | 'UNAUTHORIZED';
export type AuditPhase = 'BEGIN' | 'END' | 'SYNC';

export interface AuditEntry {
  activity: string;
  phase: AuditPhase;
  result: AuditResult | null;
  actor: Actor;
  description: string;
  details?: Record<string, unknown>;
  correlationId: string;
  conversationId?: string | null;
}

/**
 * Appends entries in one statement; pass the transaction of the change they record. Chain fields and
 * the time are assigned by the database trigger, so they are not set here.
 */
export async function appendAudit(executor: Executor, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await executor.insert(auditLog).values(
    entries.map((entry) => ({
      module: activityDefinition(entry.activity).module,
      activity: entry.activity,
      phase: entry.phase,
      result: entry.phase === 'BEGIN' ? null : entry.result,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorUsername: entry.actor.username,
      actorFullName: entry.actor.fullName,
      description: entry.description,
      details: entry.details ?? {},
      correlationId: entry.correlationId,
      conversationId: entry.conversationId ?? null,
    })),
  );
}

/** The single entry of a synchronous activity. */
export function syncEntry(entry: Omit<AuditEntry, 'phase'> & { result: AuditResult }): AuditEntry {
  const definition = activityDefinition(entry.activity);
  if (definition.kind !== 'sync') throw new Error(`${entry.activity} is asynchronous: audit it with BEGIN and END`);
  return { ...entry, phase: 'SYNC' };
}
