import type { Executor } from '../db/client.js';
import { decideRetention, type RetentionDecision, type RetentionReason } from '../domain/retention-decision.js';
import type { DeleteTaskRule } from '../domain/retention.js';
import { loadDeleteTaskRules, loadRetentionFacts, type ConversationRow, type LoadedRetentionFacts } from './retention-facts.js';

export interface DecidedConversation {
  facts: LoadedRetentionFacts;
  decision: RetentionDecision;
}

/** Decides a page of conversations against the delete tasks in force, in four queries whatever its size. */
export async function decideRetentionOf(
  executor: Executor,
  rows: readonly ConversationRow[],
  now = new Date(),
): Promise<{ rules: DeleteTaskRule[]; decided: Map<string, DecidedConversation> }> {
  const rules = await loadDeleteTaskRules(executor);
  const facts = await loadRetentionFacts(executor, rows);
  const decided = new Map([...facts].map(([id, own]) => [id, { facts: own, decision: decideRetention(own, rules, now) }]));
  return { rules, decided };
}

/** One conversation's decision, inside the caller's transaction when it holds the row lock. */
export async function currentRetentionDecision(executor: Executor, conversation: ConversationRow, now = new Date()): Promise<DecidedConversation> {
  const { decided } = await decideRetentionOf(executor, [conversation], now);
  return decided.get(conversation.id)!;
}

/** The decision as the retention overview and the lifecycle trace show it. */
export interface RetentionView {
  status: RetentionDecision['status'] | 'deleted';
  deleteAt: string | null;
  deleteTask: { id: string; name: string } | null;
  /** Why it is kept (or may go), primary first; empty once deleted. */
  reasons: RetentionReason[];
}

export function retentionView(decision: RetentionDecision | 'deleted'): RetentionView {
  if (decision === 'deleted') return { status: 'deleted', deleteAt: null, deleteTask: null, reasons: [] };
  return {
    status: decision.status,
    deleteAt: decision.status === 'due' ? decision.deleteAt.toISOString() : null,
    deleteTask: decision.status === 'due' ? { id: decision.taskId, name: decision.taskName } : null,
    reasons: decision.reasons,
  };
}

/** A conversation row's retention as it stands now (a tombstone's: deleted). */
export async function conversationRetentionView(executor: Executor, conversation: ConversationRow, now = new Date()): Promise<RetentionView> {
  if (conversation.deletedAt) return retentionView('deleted');
  return retentionView((await currentRetentionDecision(executor, conversation, now)).decision);
}
