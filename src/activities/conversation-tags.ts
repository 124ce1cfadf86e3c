import { workflowActor } from '../audit/write/actor.js';
import type { SegmentTag } from '../domain/segment-tags.js';
import type { RequestContext } from '../audit/write/actor.js';
import type { ActivityDeps } from './deps.js';
import { syncTags, type TagChange } from '../tags/tag-mirror.js';

export function conversationTagActivities({ db }: ActivityDeps) {
  return {
    /** Mirrors the conversation-level tags (segment 0); each difference is audited as the requester's. */
    async persistConversationTags(input: {
      conversationId: string;
      tags: SegmentTag[];
      context: RequestContext;
      workflow: { workflowId: string; runId: string };
    }): Promise<TagChange[]> {
      const workflow = workflowActor(input.workflow.workflowId, input.workflow.runId);
      return db.transaction((tx) =>
        syncTags(tx, {
          conversationId: input.conversationId,
          segments: 'conversation',
          desired: input.tags.map((tag) => ({ segmentIndex: 0, ...tag })),
          actorFor: (tag) => (tag.source === 'api' || tag.source === 'agent-desktop' ? input.context.actor : workflow),
          correlationId: input.context.correlationId,
        }),
      );
    },
  };
}
