import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { auditLog, conversations } from '../../db/schema/index.js';
import { conversationRetentionView } from '../../retention/retention-decisions.js';
import { auditRowColumns, type AuditRow } from './search-query.js';
import { formatInTimeZone } from './search-time-zone.js';
import type { ConversationTrace, TraceStep, WorkflowHistoryRead, WorkflowStep } from './trace-types.js';

/** Request-level entries (a batch import's BEGIN and END) shown with a conversation; a bound, not an expectation. */
const MAX_RELATED_ENTRIES = 1_000;

function auditStep(row: AuditRow): WorkflowStep {
  return {
    at: row.occurredAt,
    source: 'audit',
    step: row.phase === 'SYNC' ? row.activity : `${row.activity} ${row.phase}`,
    description: row.description,
    actor: { type: row.actorType, id: row.actorId, username: row.actorUsername, fullName: row.actorFullName },
    result: row.result,
    correlationId: row.correlationId,
    audit: { id: row.id, chainSeq: Number(row.chainSeq), activity: row.activity, module: row.module, phase: row.phase, details: row.details },
    workflow: null,
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function outcomeOf(conversation: ConversationTrace['conversation'], steps: readonly TraceStep[]): string {
  const deletion = steps.findLast((step) => step.audit?.activity === 'CONVERSATION_DELETED');
  if (conversation?.deletedAt) {
    return `Deleted at ${conversation.deletedAt}${deletion ? ` by ${deletion.actor?.username ?? 'unknown'}: ${deletion.description}` : ''}. Only this tombstone and the audit history remain.`;
  }
  if (!conversation) return 'The conversation row is gone; the audit history below is all that remains.';
  return `Lifecycle state: ${conversation.lifecycleState}.`;
}

/**
 * Everything known about one conversation's life, in time order: its audit entries (and the request-level
 * entries of the same requests), its workflow's steps from Temporal, and its row. Undefined when no
 * conversation with this id was ever captured.
 */
export async function buildConversationTrace(
  deps: {
    db: Database;
    /** The conversation's workflow history (Temporal's, read by src/temporal/); null: the lifecycle's own id. */
    readWorkflowHistory: (workflowId: string | null) => Promise<WorkflowHistoryRead>;
  },
  conversationId: string,
  timeZone: string,
): Promise<ConversationTrace | undefined> {
  const [row] = await deps.db.select().from(conversations).where(eq(conversations.id, conversationId));
  const own: AuditRow[] = await deps.db.select(auditRowColumns).from(auditLog).where(eq(auditLog.conversationId, conversationId)).orderBy(asc(auditLog.chainSeq));
  // Lookups, refusals and traces of any id are linked to it too; only a row or a lifecycle step proves it existed.
  if (!row && !own.some((entry) => entry.actorType === 'workflow')) return undefined;

  const workflow = await deps.readWorkflowHistory(row?.workflowId ?? null);

  // Requests that touched the conversation, known from its own entries or from the context its updates carried.
  const correlationIds = [...new Set([...own.map((entry) => entry.correlationId), ...workflow.steps.flatMap((step) => step.correlationId ?? [])])].slice(0, MAX_RELATED_ENTRIES);
  const related: AuditRow[] =
    correlationIds.length === 0
      ? []
      : await deps.db
          .select(auditRowColumns)
          .from(auditLog)
          .where(and(inArray(auditLog.correlationId, correlationIds), isNull(auditLog.conversationId)))
          .orderBy(asc(auditLog.chainSeq))
          .limit(MAX_RELATED_ENTRIES);

  // A stable sort keeps chain order among audit entries and event order within a run at equal times.
  const steps: TraceStep[] = [...[...own, ...related].sort((a, b) => Number(a.chainSeq) - Number(b.chainSeq)).map(auditStep), ...workflow.steps]
    .map((step, index) => ({ step, index }))
    .sort((a, b) => a.step.at.localeCompare(b.step.at) || a.index - b.index)
    .map(({ step }) => ({ ...step, date: formatInTimeZone(step.at, timeZone) }));

  const conversation: ConversationTrace['conversation'] = row
    ? {
        source: row.source,
        externalKey: row.externalKey,
        channel: row.channel,
        lifecycleState: row.lifecycleState,
        startedAt: iso(row.startedAt),
        endedAt: iso(row.endedAt),
        createdAt: row.createdAt.toISOString(),
        deletedAt: iso(row.deletedAt),
        protectedUntil: iso(row.protectedUntil),
        deleteDueAt: iso(row.deleteDueAt),
        workflowId: row.workflowId,
      }
    : null;
  const retention = row ? await conversationRetentionView(deps.db, row) : null;
  return { conversationId, conversation, outcome: outcomeOf(conversation, steps), retention, workflow: workflow.trace, timeZone, steps };
}
