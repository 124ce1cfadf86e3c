import type { Executor } from '../db/client.js';
import { RETENTION_REASON_LABELS, type RetentionDecision } from '../domain/retention-decision.js';
import { taskSelects, windowEnd } from '../domain/retention.js';
import type { KeptConversation } from '../workflows/delete-run.contract.js';
import { decideRetentionOf } from './retention-decisions.js';
import type { ConversationRow } from './retention-facts.js';

export interface DeleteRunVerdicts {
  /** May be deleted now: their lifecycles are told to. */
  due: string[];
  kept: KeptConversation[];
}

function kept(conversationId: string, decision: RetentionDecision): KeptConversation {
  const [primary] = decision.reasons;
  return { conversationId, reason: RETENTION_REASON_LABELS[primary.code], code: primary.code, reasons: decision.reasons };
}

function split(decided: Iterable<[string, RetentionDecision]>): DeleteRunVerdicts {
  const verdicts: DeleteRunVerdicts = { due: [], kept: [] };
  for (const [conversationId, decision] of decided) {
    if (decision.verdict === 'delete') verdicts.due.push(conversationId);
    else verdicts.kept.push(kept(conversationId, decision));
  }
  return verdicts;
}

/**
 * A page of candidates for a run of this task: those it selects whose window has passed (the run's
 * selection), each kept or due as the retention decision says.
 */
export async function deleteRunPageVerdicts(executor: Executor, taskId: string, rows: readonly ConversationRow[], now = new Date()): Promise<DeleteRunVerdicts> {
  if (rows.length === 0) return { due: [], kept: [] };
  const { rules, decided } = await decideRetentionOf(executor, rows, now);
  const rule = rules.find((candidate) => candidate.id === taskId);
  if (!rule) return { due: [], kept: [] };
  const selected = [...decided].filter(([, { facts }]) => taskSelects(rule, facts) && windowEnd(rule, facts.startedAt) <= now);
  return split(selected.map(([id, { decision }]) => [id, decision]));
}

/**
 * After the lifecycles were told: which of these live conversations are still due, and which are kept now
 * (a hold or protection arrived meanwhile, or the task changed), each by the retention decision.
 */
export async function deleteRunTallyVerdicts(executor: Executor, rows: readonly ConversationRow[], now = new Date()): Promise<DeleteRunVerdicts> {
  if (rows.length === 0) return { due: [], kept: [] };
  const { decided } = await decideRetentionOf(executor, rows, now);
  return split([...decided].map(([id, { decision }]) => [id, decision]));
}
