import type { Actor } from '../audit/actor.js';
import { appendOutcome } from '../audit/audit-outcome.js';
import { appendAudit, syncEntry } from '../audit/audit-writer.js';
import type { Database, Transaction } from '../db/client.js';

/** Who asked for an identity change and the request it belongs to (the API's, the bootstrap command's). */
export interface AuditContext {
  actor: Actor;
  correlationId: string;
}

export interface ChangeRequest {
  activity: string;
  description: string;
  details?: Record<string, unknown>;
}

/**
 * Runs a change recorded by one synchronous catalogue activity: the OK entry is written in the change's
 * transaction; when the change throws, a FAIL entry is written on its own and the error rethrown.
 */
export async function auditedChange<T>(
  db: Database,
  audit: AuditContext,
  request: ChangeRequest,
  work: (tx: Transaction) => Promise<{ value: T; details?: Record<string, unknown> }>,
): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const outcome = await work(tx);
      await appendAudit(tx, [
        syncEntry({
          activity: request.activity,
          result: 'OK',
          actor: audit.actor,
          correlationId: audit.correlationId,
          description: request.description,
          details: { ...request.details, ...outcome.details },
        }),
      ]);
      return outcome.value;
    });
  } catch (error) {
    await appendOutcome(db, {
      activity: request.activity,
      result: 'FAIL',
      actor: audit.actor,
      correlationId: audit.correlationId,
      description: `${request.description}: failed`,
      details: { ...request.details, error: error instanceof Error ? error.message : String(error) },
    });
    throw error;
  }
}
