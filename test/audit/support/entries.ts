import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.js';
import { auditLog } from '../../../src/db/schema/index.js';
import type { HttpAnswer } from '../../support/harness.js';

/** Every audit entry one request wrote (its correlation id is the response's x-request-id), in chain order. */
export async function entriesOf(db: Database, answer: HttpAnswer) {
  const correlationId = answer.headers.get('x-request-id');
  if (!correlationId) throw new Error('the response has no x-request-id');
  return db.select().from(auditLog).where(eq(auditLog.correlationId, correlationId)).orderBy(asc(auditLog.chainSeq));
}

/** `ACTIVITY:PHASE:RESULT` per entry: the shape the seed's Audit Log shows. */
export async function entryShapes(db: Database, answer: HttpAnswer): Promise<string[]> {
  return (await entriesOf(db, answer)).map((entry) => `${entry.activity}:${entry.phase}:${entry.result ?? ''}`);
}
