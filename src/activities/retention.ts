import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { workflowActor } from '../audit/actor.js';
import { appendAudit, syncEntry } from '../audit/audit-writer.js';
import type { Transaction } from '../db/client.js';
import { conversationTags, conversations, deleteTasks, disposalLedger, legalHolds } from '../db/schema/index.js';
import { planRetention, type DeleteTaskRule, type RetentionPlan, type RetentionSubject } from '../domain/retention.js';
import type { ExtendRetentionArgs, ExtendRetentionResult } from '../workflows/conversation-lifecycle.contract.js';
import { lockLiveConversation } from './conversation-lock.js';
import { removeMediaFiles } from '../media/media-removal.js';
import { purgeConversationContent } from './content-purge.js';
import type { ActivityDeps } from './deps.js';

export interface RetentionPlanView {
  status: RetentionPlan['status'];
  deleteAt: string | null;
  taskId: string | null;
  protectedUntil: string | null;
}

type ConversationRow = typeof conversations.$inferSelect;

/** What a retention decision looks at, from a conversation row and what PostgreSQL holds about it. */
export function retentionSubjectOf(conversation: ConversationRow, tags: readonly { name: string; value: string | null }[], activeHolds: number): RetentionSubject {
  return {
    channel: conversation.channel,
    queue: conversation.queueName,
    attributes: conversation.attributes,
    startedAt: conversation.startedAt ?? conversation.createdAt,
    tags,
    protectedUntil: conversation.protectedUntil,
    activeHolds,
  };
}

export function deleteTaskRuleOf(task: typeof deleteTasks.$inferSelect): DeleteTaskRule {
  return { id: task.id, name: task.name, enabled: task.enabled, retentionSeconds: task.retentionSeconds, selection: task.selection };
}

/** Reads everything a retention decision depends on, inside the caller's transaction. */
export async function currentRetentionPlan(tx: Transaction, conversation: ConversationRow): Promise<RetentionPlan> {
  const tags = await tx
    .selectDistinct({ name: conversationTags.name, value: conversationTags.value })
    .from(conversationTags)
    .where(eq(conversationTags.conversationId, conversation.id));
  const [holds] = await tx
    .select({ value: count() })
    .from(legalHolds)
    .where(and(eq(legalHolds.conversationId, conversation.id), isNull(legalHolds.releasedAt)));
  const tasks = await tx.select().from(deleteTasks).where(isNull(deleteTasks.removedAt));
  return planRetention(retentionSubjectOf(conversation, tags, holds?.value ?? 0), tasks.map(deleteTaskRuleOf));
}

function view(plan: RetentionPlan): RetentionPlanView {
  return {
    status: plan.status,
    deleteAt: plan.status === 'due' ? plan.deleteAt.toISOString() : null,
    taskId: plan.status === 'due' ? plan.taskId : null,
    protectedUntil: plan.protectedUntil?.toISOString() ?? null,
  };
}

export function retentionActivities({ db, media }: ActivityDeps) {
  return {
    /** Plans from the current policy and mirrors the due date for overviews; never acts on it. */
    async planConversationRetention(input: { conversationId: string }): Promise<RetentionPlanView> {
      return db.transaction(async (tx) => {
        const conversation = await lockLiveConversation(tx, input.conversationId);
        const plan = await currentRetentionPlan(tx, conversation);
        await tx
          .update(conversations)
          .set({ deleteDueAt: plan.status === 'due' ? plan.deleteAt : null, deleteTaskId: plan.status === 'due' ? plan.taskId : null })
          .where(eq(conversations.id, input.conversationId));
        return view(plan);
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
     * unprotected: a hold, tag or extension committed a moment earlier wins. Deletion keeps a tombstone,
     * writes a content-free disposal ledger entry and an audit entry, and is final.
     */
    async deleteConversationIfDue(input: {
      conversationId: string;
      workflow: { workflowId: string; runId: string };
    }): Promise<{ deleted: boolean; plan: RetentionPlanView }> {
      const outcome = await db.transaction(async (tx) => {
        const [existing] = await tx.select().from(conversations).where(eq(conversations.id, input.conversationId)).for('update');
        if (existing?.deletedAt) {
          return { deleted: true, orphanedMedia: [] as string[], plan: { status: 'due' as const, deleteAt: existing.deletedAt.toISOString(), taskId: existing.deleteTaskId, protectedUntil: null } };
        }
        const conversation = await lockLiveConversation(tx, input.conversationId);
        const plan = await currentRetentionPlan(tx, conversation);
        if (plan.status !== 'due' || plan.deleteAt.getTime() > Date.now()) return { deleted: false, orphanedMedia: [] as string[], plan: view(plan) };

        const { destroyed, orphanedMedia } = await purgeConversationContent(tx, input.conversationId);
        const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
        const correlationId = `retention-${input.conversationId}`;
        const reason = `retention window of delete task "${plan.taskName}" elapsed`;
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
        await tx.insert(disposalLedger).values({
          id: randomUUID(),
          conversationId: input.conversationId,
          kind: 'deletion',
          reason,
          deleteTaskId: plan.taskId,
          requestedBy: actor.id,
          destroyed,
          auditCorrelationId: correlationId,
        });
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
        return { deleted: true, orphanedMedia, plan: view(plan) };
      });
      await removeMediaFiles(media, outcome.orphanedMedia);
      return { deleted: outcome.deleted, plan: outcome.plan };
    },
  };
}
