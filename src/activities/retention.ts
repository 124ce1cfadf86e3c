import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { workflowActor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { conversations, disposalLedger } from '../db/schema/index.js';
import type { RetentionDecision, RetentionReason } from '../domain/retention-decision.js';
import type { Transaction } from '../db/client.js';
import { queueMediaRemovals, settleMediaRemovals } from '../media/media-removal.js';
import { currentRetentionDecision } from '../retention/retention-decisions.js';
import type { ExtendRetentionArgs, ExtendRetentionResult } from '../workflows/conversation-lifecycle.contract.js';
import { lockLiveConversation } from './conversation-lock.js';
import { purgeConversationContent } from './content-purge.js';
import type { ActivityDeps } from './deps.js';

/** The retention decision as the lifecycle waits on it. */
export interface RetentionPlanView {
  status: RetentionDecision['status'];
  /** When to try deleting; null when nothing foreseeable ends the keeping (the lifecycle waits for a change). */
  deleteAt: string | null;
  taskId: string | null;
  protectedUntil: string | null;
  /** Why, as the retention overview, delete runs and the trace show it. */
  reasons: RetentionReason[];
}

function view(decision: RetentionDecision, now: Date): RetentionPlanView {
  // A reason with no end of its own (a future open review, say) keeps a conversation past its due date:
  // waiting on that date again would spin, so the lifecycle waits for the change that ends the reason.
  const waitable = decision.status === 'due' && (decision.verdict === 'delete' || decision.deleteAt > now);
  return {
    status: decision.status,
    deleteAt: waitable ? decision.deleteAt.toISOString() : null,
    taskId: decision.status === 'due' ? decision.taskId : null,
    protectedUntil: decision.protectedUntil?.toISOString() ?? null,
    reasons: decision.reasons,
  };
}

export interface DeleteConversationInput {
  conversationId: string;
  workflow: { workflowId: string; runId: string };
}

/**
 * The deleting transaction: deletes the conversation if, re-read under its row lock here, it is still due
 * and unprotected, so a hold, tag or extension committed a moment earlier wins. Deletion keeps a tombstone,
 * writes a content-free disposal ledger entry and an audit entry, queues the removal of the files no other
 * conversation uses, and is final. Exported apart from the activity so a test can commit it and "crash"
 * before the files are removed.
 */
export async function deleteConversationIfDueInTransaction(tx: Transaction, input: DeleteConversationInput): Promise<{ deleted: boolean; plan: RetentionPlanView }> {
  const [existing] = await tx.select().from(conversations).where(eq(conversations.id, input.conversationId)).for('update');
  if (existing?.deletedAt) {
    return { deleted: true, plan: { status: 'due', deleteAt: existing.deletedAt.toISOString(), taskId: existing.deleteTaskId, protectedUntil: null, reasons: [] } };
  }
  const conversation = await lockLiveConversation(tx, input.conversationId);
  const now = new Date();
  const { decision: plan } = await currentRetentionDecision(tx, conversation, now);
  const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
  const correlationId = `retention-${input.conversationId}`;
  if (plan.status !== 'due' || plan.verdict !== 'delete') {
    // Something the lifecycle was not told about (a hold or protection written straight to the database, a
    // notify still on its way) changed the decision since it planned: say why the due deletion did not happen.
    await appendAudit(tx, [
      syncEntry({
        activity: 'CONVERSATION_DELETION_WITHHELD',
        result: 'OK',
        actor,
        description: `Deletion of conversation ${input.conversationId} withheld at its due time: ${plan.reasons[0]?.text ?? plan.status}`,
        details: { status: plan.status, reasons: plan.reasons.map((item) => item.code) },
        correlationId,
        conversationId: input.conversationId,
      }),
    ]);
    return { deleted: false, plan: view(plan, now) };
  }

  const { destroyed, orphanedMedia } = await purgeConversationContent(tx, input.conversationId);
  // A conversation that may go has one reason: its task's window elapsed.
  const [{ text: reason }] = plan.reasons;
  await tx
    .update(conversations)
    .set({
      lifecycleState: 'deleted',
      deletedAt: sql`now()`,
      deleteTaskId: plan.taskId,
      deleteDueAt: null,
      agentUsername: null,
      customerAddress: null,
      systemAddress: null,
      queueName: null,
      attributes: {},
      updatedAt: sql`now()`,
    })
    .where(eq(conversations.id, input.conversationId));
  const disposalId = randomUUID();
  await tx.insert(disposalLedger).values({
    id: disposalId,
    conversationId: input.conversationId,
    kind: 'deletion',
    reason,
    deleteTaskId: plan.taskId,
    requestedBy: actor.id,
    destroyed,
    auditCorrelationId: correlationId,
  });
  await queueMediaRemovals(tx, { disposalId, conversationId: input.conversationId }, orphanedMedia);
  await appendAudit(tx, [
    syncEntry({
      activity: 'CONVERSATION_DELETED',
      result: 'OK',
      actor,
      description: `Conversation ${input.conversationId} deleted: ${reason}`,
      details: { deleteTaskId: plan.taskId, deleteTaskName: plan.taskName, dueAt: plan.deleteAt.toISOString(), destroyed: destroyed.length },
      correlationId,
      conversationId: input.conversationId,
    }),
  ]);
  return { deleted: true, plan: view(plan, now) };
}

export function retentionActivities({ db, media }: ActivityDeps) {
  return {
    /** Plans from the current policy and mirrors the due date for overviews; never acts on it. */
    async planConversationRetention(input: { conversationId: string }): Promise<RetentionPlanView> {
      return db.transaction(async (tx) => {
        const conversation = await lockLiveConversation(tx, input.conversationId);
        const now = new Date();
        const { decision } = await currentRetentionDecision(tx, conversation, now);
        await tx
          .update(conversations)
          .set({ deleteDueAt: decision.status === 'due' ? decision.deleteAt : null, deleteTaskId: decision.status === 'due' ? decision.taskId : null })
          .where(eq(conversations.id, input.conversationId));
        return view(decision, now);
      });
    },

    async extendRetention(input: ExtendRetentionArgs & { conversationId: string }): Promise<ExtendRetentionResult> {
      return db.transaction(async (tx) => {
        const conversation = await lockLiveConversation(tx, input.conversationId);
        const requested = new Date(input.until);
        const extended = !conversation.protectedUntil || requested > conversation.protectedUntil;
        const protectedUntil = extended ? requested : conversation.protectedUntil!;
        if (extended) {
          await tx.update(conversations).set({ protectedUntil }).where(eq(conversations.id, input.conversationId));
          await appendAudit(tx, [
            syncEntry({
              activity: 'RETENTION_EXTEND',
              result: 'OK',
              actor: input.context.actor,
              description: `Protection of conversation ${input.conversationId} extended to ${protectedUntil.toISOString()}: ${input.reason}`,
              details: {
                previous: conversation.protectedUntil?.toISOString() ?? null,
                protectedUntil: protectedUntil.toISOString(),
                reason: input.reason,
                authorityReference: input.authorityReference,
              },
              correlationId: input.context.correlationId,
              conversationId: input.conversationId,
            }),
          ]);
        }
        return { conversationId: input.conversationId, protectedUntil: protectedUntil.toISOString(), extended };
      });
    },

    /**
     * Deletes the conversation if, re-read under its row lock in this very transaction, it is still due and
     * unprotected (see deleteConversationIfDueInTransaction), then removes the files it orphaned. A crash
     * between the two leaves the removals queued: a retry of this activity or the media sweep finishes them.
     */
    async deleteConversationIfDue(input: DeleteConversationInput): Promise<{ deleted: boolean; plan: RetentionPlanView }> {
      const outcome = await db.transaction((tx) => deleteConversationIfDueInTransaction(tx, input));
      if (outcome.deleted) await settleMediaRemovals(db, media, { conversationId: input.conversationId });
      return outcome;
    },
  };
}
