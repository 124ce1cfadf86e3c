import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import type { HttpAnswer } from './harness.js';
import { auditLog } from '../../src/db/schema/index.js';

/** The audit entries a request left, in chain order, as `ACTIVITY:PHASE:RESULT`. */
export async function auditTrailOf(db: Database, correlationId: string | null): Promise<string[]> {
  if (!correlationId) return [];
  const entries = await db.select().from(auditLog).where(eq(auditLog.correlationId, correlationId)).orderBy(asc(auditLog.chainSeq));
  return entries.map((entry) => `${entry.activity}:${entry.phase}:${entry.result}`);
}

export async function auditEntriesOf(db: Database, correlationId: string) {
  return db.select().from(auditLog).where(eq(auditLog.correlationId, correlationId)).orderBy(asc(auditLog.chainSeq));
}

/** Every audit entry one request wrote (its correlation id is the response's x-request-id), in chain order. */
export async function entriesOf(db: Database, answer: HttpAnswer) {
  const correlationId = answer.headers.get('x-request-id');
  if (!correlationId) throw new Error('the response has no x-request-id');
  return auditEntriesOf(db, correlationId);
}

/** `ACTIVITY:PHASE:RESULT` per entry (an empty result for BEGIN): the shape the seed's Audit Log shows. */
export async function entryShapes(db: Database, answer: HttpAnswer): Promise<string[]> {
  return (await entriesOf(db, answer)).map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`);
}
