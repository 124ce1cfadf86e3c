import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../db/query-rows.js';
import { conversationTags } from '../db/schema/index.js';
import type { SegmentTag } from '../domain/segment-tags.js';
import type { ConversationLifecycleState } from '../workflows/conversation-lifecycle.contract.js';
import type { ActivityDeps } from './deps.js';
import { NIL_UUID } from '../lib/ids.js';

export function retentionSweepActivities({ db }: ActivityDeps) {
  return {
    /** Live conversations whose deletion is overdue: their lifecycle missed its deadline or is gone. */
    async findOverdueConversations(input: { afterId: string | null; limit: number; graceSeconds: number }): Promise<string[]> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`select id from conversations
            where deleted_at is null and delete_due_at < now() - make_interval(secs => ${input.graceSeconds})
              and id > ${input.afterId ?? NIL_UUID}::uuid
            order by id limit ${input.limit}`,
      );
      return rows.map((row) => row.id);
    },

    /** Rebuilds a lifecycle's state from PostgreSQL, the authority, for a lifecycle that went missing. */
    async recoverLifecycleState(input: { conversationId: string }): Promise<ConversationLifecycleState | null> {
      const [row] = await queryRows<{ id: string; source: string; external_key: string; lifecycle_state: string }>(
        db,
        sql`select id, source, external_key, lifecycle_state from conversations where id = ${input.conversationId}::uuid and deleted_at is null`,
      );
      if (!row) return null;
      const tags = await db
        .select()
        .from(conversationTags)
        .where(and(eq(conversationTags.conversationId, input.conversationId), eq(conversationTags.segmentIndex, 0)));
      return {
        conversationId: row.id,
        source: row.source,
        externalKey: row.external_key,
        stage: row.lifecycle_state === 'open' ? 'open' : 'captured',
        steps: [{ step: 'lifecycle-recovered', at: new Date().toISOString() }],
        call: null,
        conversationTags: tags.map((tag): SegmentTag => ({ name: tag.name, value: tag.value, source: tag.source as SegmentTag['source'], at: tag.appliedAt.toISOString() })),
        retentionVersion: 0,
      };
    },
  };
}
