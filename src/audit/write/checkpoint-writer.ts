import { desc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { auditChainHead, auditCheckpoints } from '../../db/schema/index.js';
import type { AuditCheckpointRecord, AuditCheckpointResult } from '../../workflows/audit-checkpoint.contract.js';
import type { Actor } from './actor.js';
import { appendAudit, syncEntry } from './audit-writer.js';

function toRecord(row: typeof auditCheckpoints.$inferSelect): AuditCheckpointRecord {
  return { id: row.id.toString(), chainSeq: Number(row.chainSeq), hash: row.hash, createdAt: row.createdAt.toISOString() };
}

/**
 * Records the chain head. The AUDIT_CHECKPOINT entry is appended first, in the same transaction: its
 * trigger holds the head's row lock until commit, so the head read next is that entry, and the checkpoint
 * covers its own audit entry. With `onlyIfMoved`, an unchanged chain gets no new checkpoint, which also
 * makes a retried activity a no-op.
 */
export async function writeAuditCheckpoint(
  db: Database,
  options: { actor: Actor; correlationId: string; onlyIfMoved: boolean },
): Promise<AuditCheckpointResult> {
  return db.transaction(async (tx) => {
    if (options.onlyIfMoved) {
      const [latest] = await tx.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.chainSeq)).limit(1);
      const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
      if (latest && head && latest.chainSeq === head.chainSeq) return { checkpoint: toRecord(latest), created: false };
    }
    await appendAudit(tx, [
      syncEntry({
        activity: 'AUDIT_CHECKPOINT',
        result: 'OK',
        actor: options.actor,
        description: 'Audit chain head checkpointed at this entry',
        correlationId: options.correlationId,
      }),
    ]);
    const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
    if (!head) throw new Error('audit_chain_head has no row: migrations not applied');
    const [row] = await tx.insert(auditCheckpoints).values({ chainSeq: head.chainSeq, hash: head.hash }).returning();
    return { checkpoint: toRecord(row!), created: true };
  });
}
