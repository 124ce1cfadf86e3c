import { setHandler, workflowInfo } from '@temporalio/workflow';
import { withTag, withoutTag } from '../../domain/segment-tags.js';
import { tagConversationUpdate, untagConversationUpdate, type ConversationLifecycleState } from '../conversation-lifecycle.contract.js';
import type { RequestContext } from '../../audit/write/actor.js';
import { lifecycleActivities as activities } from './activities.js';
import { refuseIfDeleted } from './guards.js';
import type { SerialRunner } from './serial.js';
import { recordStep } from './steps.js';

/** Tags on the conversation as a whole: retrospective tagging by compliance, for every channel. */
export function registerConversationTagHandlers(state: ConversationLifecycleState, serially: SerialRunner): void {
  const { workflowId, runId } = workflowInfo();
  const persist = async (context: RequestContext) => {
    const changes = await activities.persistConversationTags({
      conversationId: state.conversationId,
      tags: state.conversationTags ?? [],
      context,
      workflow: { workflowId, runId },
    });
    if (changes.length > 0) state.retentionVersion = (state.retentionVersion ?? 0) + 1;
    return changes;
  };

  setHandler(
    tagConversationUpdate,
    (args) =>
      serially(async () => {
        const before = (state.conversationTags ?? []).find((tag) => tag.name === args.name && tag.source === 'api');
        state.conversationTags = withTag(state.conversationTags ?? [], { name: args.name, value: args.value, source: 'api', at: new Date().toISOString() });
        await persist(args.context);
        recordStep(state, 'conversation-tagged', { name: args.name, value: args.value });
        const change = !before ? 'added' : before.value === args.value ? 'unchanged' : 'updated';
        return { conversationId: state.conversationId, segmentIndex: 0, change };
      }),
    { validator: (_args) => refuseIfDeleted(state) },
  );

  setHandler(
    untagConversationUpdate,
    (args) =>
      serially(async () => {
        const before = state.conversationTags ?? [];
        state.conversationTags = withoutTag(before, args.name, 'api');
        const removed = state.conversationTags.length !== before.length;
        if (removed) {
          await persist(args.context);
          recordStep(state, 'conversation-untagged', { name: args.name });
        }
        return { conversationId: state.conversationId, segmentIndex: 0, change: removed ? 'removed' : 'unchanged' };
      }),
    { validator: (_args) => refuseIfDeleted(state) },
  );
}
