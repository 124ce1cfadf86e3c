import type { Database, Transaction } from '../../db/client.js';
import { activityDefinition } from '../../domain/audit-catalogue.js';
import type { Actor } from './actor.js';
import { appendOutcome } from './audit-outcome.js';
import { appendAudit, type AuditResult } from './audit-writer.js';

/**
 * The two ways a change is audited. `auditedChange`: the change is one transaction, and its entry is written
 * in it. `auditedCall`: work that is not one transaction (a Temporal call, a search, a read). Either way a
 * synchronous catalogue activity gets one SYNC entry and an asynchronous one BEGIN (when the request is
 * received) and END (with the result); when the work throws, FAIL is written on its own and the error rethrown.
 * A request that ends without its work (a refusal) is recorded with `appendOutcome`.
 */

/** Who asked, and the request it belongs to (the API's, a command's, a workflow's). */
export interface AuditContext {
  actor: Actor;
  correlationId: string;
}

export interface AuditedRequest extends AuditContext {
  activity: string;
  description: string;
  details?: Record<string, unknown>;
  conversationId?: string | null;
}

export interface AuditedOutcome<T> {
  value: T;
  result?: AuditResult;
  details?: Record<string, unknown>;
}

const isAsync = (request: AuditedRequest) => activityDefinition(request.activity).kind === 'async';

function entry(request: AuditedRequest) {
  return {
    activity: request.activity,
    actor: request.actor,
    correlationId: request.correlationId,
    description: request.description,
    conversationId: request.conversationId ?? null,
  };
}

async function appendBegin(db: Database, request: AuditedRequest): Promise<void> {
  if (isAsync(request)) await appendAudit(db, [{ ...entry(request), phase: 'BEGIN', result: null, details: request.details ?? {} }]);
}

async function appendEnd(executor: Database | Transaction, request: AuditedRequest, result: AuditResult, details: Record<string, unknown>): Promise<void> {
  await appendAudit(executor, [{ ...entry(request), phase: isAsync(request) ? 'END' : 'SYNC', result, details: { ...request.details, ...details } }]);
}

async function appendFailure(db: Database, request: AuditedRequest, error: unknown): Promise<never> {
  await appendEnd(db, request, 'FAIL', { error: error instanceof Error ? error.message : String(error) });
  throw error;
}

/** A change made in one transaction, audited in that transaction. */
export async function auditedChange<T>(db: Database, request: AuditedRequest, work: (tx: Transaction) => Promise<AuditedOutcome<T>>): Promise<T> {
  await appendBegin(db, request);
  try {
    return await db.transaction(async (tx) => {
      const outcome = await work(tx);
      await appendEnd(tx, request, outcome.result ?? 'OK', outcome.details ?? {});
      return outcome.value;
    });
  } catch (error) {
    return appendFailure(db, request, error);
  }
}

/**
 * Work that is not a database change of its own: no transaction is held open while it runs. With
 * `successAuditedByWork`, the work audits its own success (a workflow's activity, in its transaction), and
 * only a refusal or failure is written here.
 */
export async function auditedCall<T>(
  db: Database,
  request: AuditedRequest,
  work: () => Promise<AuditedOutcome<T>>,
  options: { successAuditedByWork?: boolean } = {},
): Promise<T> {
  if (!options.successAuditedByWork) await appendBegin(db, request);
  let outcome: AuditedOutcome<T>;
  try {
    outcome = await work();
  } catch (error) {
    if (!options.successAuditedByWork) return appendFailure(db, request, error);
    await appendOutcome(db, { ...entry(request), result: 'FAIL', description: `${request.description} refused`, details: { ...request.details, error: error instanceof Error ? error.message : String(error) } });
    throw error;
  }
  if (!options.successAuditedByWork) await appendEnd(db, request, outcome.result ?? 'OK', outcome.details ?? {});
  return outcome.value;
}
