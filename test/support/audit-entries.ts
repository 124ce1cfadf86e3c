import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
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
