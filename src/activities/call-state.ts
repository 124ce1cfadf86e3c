import { sql } from 'drizzle-orm';
import { workflowActor } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { conversationSegments, conversations } from '../db/schema/index.js';
import type { CallState } from '../domain/call-segments.js';
import type { RequestContext } from '../audit/write/actor.js';
import { settleMediaRemovals } from '../media/media-removal.js';
import { removeRecordingsWithoutConsent } from '../recordings/consent-removal.js';
import type { ActivityDeps } from './deps.js';
import { syncTags, type TagChange } from '../tags/tag-mirror.js';

export interface PersistCallStateInput {
  conversationId: string;
  source: string;
  externalKey: string;
  call: CallState;
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

/** Automatic tags are the workflow's doing; manual and API tags are the requesting person's. */
const MANUAL_SOURCES = new Set(['api', 'agent-desktop']);

export function callStateActivities({ db, media }: ActivityDeps) {
  return {
    /**
     * Mirrors a live call's segments and tags into PostgreSQL for search, auditing every tag change.
     * Idempotent: the mirror is overwritten with the workflow's state and tags are diffed.
     */
    async persistCallState(input: PersistCallStateInput): Promise<{ tagChanges: TagChange[]; created: boolean }> {
      const { call } = input;
      const workflow = workflowActor(input.workflow.workflowId, input.workflow.runId);
      let removedRecordings = 0;
      const result = await db.transaction(async (tx) => {
        const created = await tx
          .insert(conversations)
          .values({
            id: input.conversationId,
            source: input.source,
            externalKey: input.externalKey,
            channel: 'VOICE',
            lifecycleState: call.status === 'ended' ? 'captured' : 'open',
            workflowId: input.workflow.workflowId,
            startedAt: new Date(call.startedAt),
            customerAddress: call.customer,
            agentUsername: call.currentAgent,
            attributes: call.externalData,
          })
          .onConflictDoUpdate({
            target: conversations.id,
            set: {
              lifecycleState: sql`case when ${conversations.lifecycleState} = 'deleted' then 'deleted' else ${call.status === 'ended' ? 'captured' : 'open'} end`,
              endedAt: call.endedAt ? new Date(call.endedAt) : null,
              attributes: call.externalData,
              updatedAt: sql`now()`,
            },
          })
          .returning({ inserted: sql<boolean>`(xmax = 0)` });

        if (call.segments.length > 0) {
          await tx
            .insert(conversationSegments)
            .values(
              call.segments.map((segment) => ({
                conversationId: input.conversationId,
                segmentIndex: segment.index,
                kind: segment.kind,
                partyA: segment.parties.a,
                partyB: segment.parties.b,
                startedAt: new Date(segment.startedAt),
                endedAt: segment.endedAt ? new Date(segment.endedAt) : null,
                recorded: segment.recorded,
                ruleId: segment.ruleId,
                consent: segment.consent,
                mediaKept: segment.mediaKept,
              })),
            )
            .onConflictDoUpdate({
              target: [conversationSegments.conversationId, conversationSegments.segmentIndex],
              set: {
                endedAt: sql`excluded.ended_at`,
                consent: sql`excluded.consent`,
                mediaKept: sql`excluded.media_kept`,
              },
            });
        }

        // A refusal that arrives after the audio removes it (issue 17: a refused-consent segment keeps no audio).
        removedRecordings = await removeRecordingsWithoutConsent(tx, { conversationId: input.conversationId, actor: workflow, correlationId: input.context.correlationId });
        const firstTime = created[0]?.inserted === true;
        if (firstTime) {
          await appendAudit(tx, [
            syncEntry({
              activity: 'CONVERSATION_CAPTURED',
              result: 'OK',
              actor: workflow,
              description: `Conversation ${input.conversationId} captured from live call ${input.externalKey}`,
              details: { callId: call.callId, channel: 'VOICE', requestedBy: input.context.actor.id },
              correlationId: input.context.correlationId,
              conversationId: input.conversationId,
            }),
          ]);
        }
        const tagChanges = await syncTags(tx, {
          conversationId: input.conversationId,
          segments: 'call-segments',
          desired: call.segments.flatMap((segment) => segment.tags.map((tag) => ({ segmentIndex: segment.index, ...tag }))),
          actorFor: (tag) => (MANUAL_SOURCES.has(tag.source) ? input.context.actor : workflow),
          correlationId: input.context.correlationId,
        });
        return { tagChanges, created: firstTime };
      });
      // After the commit; the media-removal sweep settles it if this fails.
      if (removedRecordings > 0) await settleMediaRemovals(db, media, { conversationId: input.conversationId }).catch(() => undefined);
      return result;
    },
  };
}
