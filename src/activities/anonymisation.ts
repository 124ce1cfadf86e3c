import { randomUUID } from 'node:crypto';
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { appendAudit } from '../audit/write/audit-writer.js';
import { conversations, disposalLedger, legalHolds } from '../db/schema/index.js';
import type { AnonymiseArgs, AnonymiseResult } from '../workflows/conversation-lifecycle.contract.js';
import { lockLiveConversation } from './conversation-lock.js';
import { queueMediaRemovals, settleMediaRemovals } from '../media/media-removal.js';
import { purgeConversationContent } from './content-purge.js';
import type { ActivityDeps } from './deps.js';

export function anonymisationActivities({ db, media }: ActivityDeps) {
  return {
    /**
     * Erases personal data (addresses, names, transcripts, media, the delivered records) and keeps the
     * skeleton a regulator may still need: id, channel, times, tags, retention. Refused, with the reason,
     * under a legal hold or while a MiFID protection applies. Audited either way, in this transaction.
     */
    async anonymiseConversation(input: AnonymiseArgs & { conversationId: string }): Promise<AnonymiseResult> {
      const outcome = await db.transaction(async (tx) => {
        const conversation = await lockLiveConversation(tx, input.conversationId);
        const [holds] = await tx
          .select({ value: count() })
          .from(legalHolds)
          .where(and(eq(legalHolds.conversationId, input.conversationId), isNull(legalHolds.releasedAt)));
        let result: AnonymiseResult;
        if ((holds?.value ?? 0) > 0) {
          result = { conversationId: input.conversationId, anonymised: false, refusal: 'legal-hold', detail: `${holds!.value} active legal hold(s) forbid erasure` };
        } else if (conversation.protectedUntil && conversation.protectedUntil.getTime() > Date.now()) {
          result = {
            conversationId: input.conversationId,
            anonymised: false,
            refusal: 'protected',
            detail: `MiFID II record-keeping protection until ${conversation.protectedUntil.toISOString()} forbids erasure`,
          };
        } else {
          const purged = await purgeConversationContent(tx, input.conversationId, { keepTags: true });
          await tx
            .update(conversations)
            .set({ agentUsername: null, customerAddress: null, systemAddress: null, queueName: null, attributes: {}, externalKey: sql`'anonymised:' || ${conversations.id}::text`, updatedAt: sql`now()` })
            .where(eq(conversations.id, input.conversationId));
          const disposalId = randomUUID();
          await tx.insert(disposalLedger).values({
            id: disposalId,
            conversationId: input.conversationId,
            kind: 'anonymisation',
            reason: input.reason,
            requestedBy: input.context.actor.id,
            destroyed: purged.destroyed,
            auditCorrelationId: input.context.correlationId,
          });
          await queueMediaRemovals(tx, { disposalId, conversationId: input.conversationId }, purged.orphanedMedia);
          result = { conversationId: input.conversationId, anonymised: true, destroyed: purged.destroyed.length };
        }
        const entry = {
          activity: 'CONVERSATION_EVENT_ANONYMIZE_ADD',
          actor: input.context.actor,
          description: result.anonymised
            ? `Conversation ${input.conversationId} anonymised: ${input.reason}`
            : `Anonymisation of conversation ${input.conversationId} refused: ${result.detail}`,
          details: { reason: input.reason, requestReference: input.requestReference, ...(result.anonymised ? { destroyed: result.destroyed } : { refusal: result.refusal }) },
          correlationId: input.context.correlationId,
          conversationId: input.conversationId,
        };
        await appendAudit(tx, [
          { ...entry, phase: 'BEGIN', result: null },
          { ...entry, phase: 'END', result: result.anonymised ? 'OK' : 'FAIL' },
        ]);
        return result;
      });
      // Not retried from here: a retry would anonymise again. What a failure leaves queued, the media sweep removes.
      if (outcome.anonymised) await settleMediaRemovals(db, media, { conversationId: input.conversationId }).catch(() => undefined);
      return outcome;
    },
  };
}
