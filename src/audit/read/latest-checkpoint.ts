import { desc } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { auditCheckpoints } from '../../db/schema/index.js';

/** The newest checkpoint of the chain head, or undefined before the first. */
export async function latestAuditCheckpoint(db: Executor): Promise<{ id: string; chainSeq: number; hash: string; createdAt: string } | undefined> {
  const [row] = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.chainSeq)).limit(1);
  return row ? { id: String(row.id), chainSeq: Number(row.chainSeq), hash: row.hash, createdAt: row.createdAt.toISOString() } : undefined;
}
