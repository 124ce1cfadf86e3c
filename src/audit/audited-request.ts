import type { Database, Transaction } from '../db/client.js';
import { activityDefinition } from '../domain/audit-catalogue.js';
import type { Actor } from './actor.js';
import { appendAudit, type AuditResult } from './audit-writer.js';

export interface AuditedRequest {
  activity: string;
  actor: Actor;
  correlationId: string;
  description: string;
  details?: Record<string, unknown>;
  conversationId?: string | null;
}

export interface AuditedOutcome<T> {
  value: T;
  result?: AuditResult;
  details?: Record<string, unknown>;
}

function beginEntry(request: AuditedRequest) {
  if (activityDefinition(request.activity).kind !== 'async') throw new Error(`${request.activity} is synchronous`);
  return {
    activity: request.activity,
    actor: request.actor,
    correlationId: request.correlationId,
    description: request.description,
    conversationId: request.conversationId ?? null,
  };
}

async function appendFailure(db: Database, request: AuditedRequest, error: unknown): Promise<never> {
  const reason = error instanceof Error ? error.message : String(error);
  await appendAudit(db, [
    { ...beginEntry(request), phase: 'END', result: 'FAIL', details: { ...request.details, error: reason } },
  ]);
  throw error;
}

/**
 * Runs an asynchronous catalogue activity: BEGIN is written when the request is received, END with the
 * result in the same transaction as the work, or, when the work throws, FAIL in a transaction of its own.
 */
export async function runAudited<T>(
  db: Database,
  request: AuditedRequest,
  work: (tx: Transaction) => Promise<AuditedOutcome<T>>,
): Promise<T> {
  const base = beginEntry(request);
  await appendAudit(db, [{ ...base, phase: 'BEGIN', result: null, details: request.details ?? {} }]);
  try {
    return await db.transaction(async (tx) => {
      const outcome = await work(tx);
      await appendAudit(tx, [
        { ...base, phase: 'END', result: outcome.result ?? 'OK', details: { ...request.details, ...outcome.details } },
      ]);
      return outcome.value;
    });
  } catch (error) {
    return appendFailure(db, request, error);
  }
}

/**
 * The same for work that is not a database change of its own (a Temporal call, a search): no transaction
 * is held open while it runs; END is written after it, with its result.
 */
export async function runAuditedCall<T>(
  db: Database,
  request: AuditedRequest,
  work: () => Promise<AuditedOutcome<T>>,
): Promise<T> {
  const base = beginEntry(request);
  await appendAudit(db, [{ ...base, phase: 'BEGIN', result: null, details: request.details ?? {} }]);
  let outcome: AuditedOutcome<T>;
  try {
    outcome = await work();
  } catch (error) {
    return appendFailure(db, request, error);
  }
  await appendAudit(db, [
    { ...base, phase: 'END', result: outcome.result ?? 'OK', details: { ...request.details, ...outcome.details } },
  ]);
  return outcome.value;
}
