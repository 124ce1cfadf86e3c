import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.js';
import { mapWithConcurrency } from '../../lib/concurrency.js';
import { conversationWorkflowId, retentionPolicyChangedSignal } from '../../workflows/conversation-lifecycle.contract.js';
import type { ApiDeps } from '../deps.js';

const PAGE = 500;
const SIGNAL_CONCURRENCY = 16;

/**
 * Tells every live conversation's lifecycle to re-plan retention after a delete-task change. Pages by
 * key so memory stays flat; a lifecycle that is gone is skipped (the periodic wake-up re-plans anyway).
 */
export async function replanLiveConversations(deps: ApiDeps): Promise<number> {
  let after = '00000000-0000-0000-0000-000000000000';
  let signalled = 0;
  for (;;) {
    const page = await deps.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(isNull(conversations.deletedAt), eq(conversations.lifecycleState, 'captured'), gt(conversations.id, after)))
      .orderBy(asc(conversations.id))
      .limit(PAGE);
    if (page.length === 0) return signalled;
    await mapWithConcurrency(page, SIGNAL_CONCURRENCY, async ({ id }) => {
      try {
        await deps.temporal.client.workflow.getHandle(conversationWorkflowId(id)).signal(retentionPolicyChangedSignal);
        signalled += 1;
      } catch {
        // Not running (deleted meanwhile, or not started on this cluster): nothing to re-plan.
      }
    });
    after = page[page.length - 1]!.id;
  }
}
