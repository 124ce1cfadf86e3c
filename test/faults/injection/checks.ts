import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { verifyAuditChain } from '../../../src/audit/read/verify-chain.js';
import type { Database } from '../../../src/db/client.js';
import { applyCallEvent, type CallEvent, type CallState } from '../../../src/domain/call-segments.js';
import { conversationWorkflowId } from '../../../src/workflows/conversation-lifecycle.contract.js';
import type { PersistentClient } from './persistent-client.js';
import type { PlannedConversation, Workload } from './workload.js';

export interface CheckedRun {
  lost: number;
  duplicated: number;
  wronglyDeleted: number;
  deleted: number;
  kept: { protected: number; held: number; archived: number; calls: number };
  auditEntriesVerified: number;
  /** Every broken promise, one line each; empty when the run kept them all. */
  violations: string[];
}

export interface CheckInputs {
  workload: Workload;
  /** Conversation ids whose legs the API answered `disposed`: delivered after the deletion, rightly not captured. */
  disposedLate: Set<string>;
  /** The live calls' conversation ids, as the API answered them. */
  callConversations: Map<string, string>;
  admin: pg.Pool;
  db: Database;
  temporal: Client;
  api: PersistentClient;
}

const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** Whether every conversation that must go has gone and its lifecycle completed: the run has settled. */
export async function pendingDeletions(inputs: Pick<CheckInputs, 'workload' | 'admin'>): Promise<number> {
  const ids = inputs.workload.conversations.filter((conversation) => conversation.role === 'delete').map((conversation) => conversation.conversationId);
  const { rows } = await inputs.admin.query<{ count: string }>("select count(*) from conversations where id = any($1::uuid[]) and lifecycle_state = 'deleted'", [ids]);
  return ids.length - Number(rows[0]!.count);
}

/**
 * The promises of issue 18 checked from PostgreSQL, Temporal and the API, never from the driver's own
 * bookkeeping alone: what the driver knows is only what it asked for and what it was answered.
 */
export async function checkRun(inputs: CheckInputs): Promise<CheckedRun> {
  const { workload, admin } = inputs;
  const violations: string[] = [];
  const planned = workload.conversations;
  const ids = planned.map((conversation) => conversation.conversationId);
  const callIds = [...inputs.callConversations.values()];

  const { rows: conversationRows } = await admin.query<{ id: string; external_key: string; lifecycle_state: string; deleted_at: Date | null; customer_address: string | null }>(
    "select id, external_key, lifecycle_state, deleted_at, customer_address from conversations where source = 'amazon-connect' and external_key = any($1)",
    [planned.map((conversation) => conversation.externalKey)],
  );
  const rowsByKey = countBy(conversationRows, (row) => row.external_key);
  const rowById = new Map(conversationRows.map((row) => [row.id, row]));
  const { rows: legRows } = await admin.query<{ contact_id: string; conversation_id: string; last_update: string }>(
    `select contact_id, conversation_id::text, to_char(last_update_timestamp at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_update
       from contact_records where conversation_id = any($1::uuid[])`,
    [ids],
  );
  const legById = new Map(legRows.map((row) => [row.contact_id, row]));
  const { rows: auditRows } = await admin.query<{ conversation_id: string; activity: string; result: string; contact_id: string | null; last_update: string | null }>(
    `select conversation_id::text, activity, result, details->>'contactId' as contact_id, details->>'lastUpdateTimestamp' as last_update
       from audit_log where conversation_id = any($1::uuid[])
        and activity in ('CONVERSATION_CAPTURED', 'CONTACT_RECORD_UPDATED', 'CONVERSATION_DELETED', 'CONVERSATION_ARCHIVED', 'LEGAL_HOLD_ADD')`,
    [[...ids, ...callIds]],
  );
  const audited = countBy(auditRows, (row) => `${row.conversation_id} ${row.activity}`);
  const versionsAudited = countBy(
    auditRows.filter((row) => row.activity === 'CONVERSATION_CAPTURED' || row.activity === 'CONTACT_RECORD_UPDATED'),
    (row) => `${row.contact_id} ${row.last_update}`,
  );
  const { rows: ledgerRows } = await admin.query<{ conversation_id: string }>('select conversation_id::text from disposal_ledger where conversation_id = any($1::uuid[])', [ids]);
  const ledger = countBy(ledgerRows, (row) => row.conversation_id);
  const { rows: holdRows } = await admin.query<{ conversation_id: string }>('select conversation_id::text from legal_holds where conversation_id = any($1::uuid[])', [ids]);
  const holds = countBy(holdRows, (row) => row.conversation_id);

  let lost = 0;
  let duplicated = 0;
  let wronglyDeleted = 0;
  let deleted = 0;
  const kept = { protected: 0, held: 0, archived: 0, calls: 0 };
  const violation = (conversation: PlannedConversation, what: string) => violations.push(`${conversation.role} conversation ${conversation.conversationId}: ${what}`);

  for (const conversation of planned) {
    const copies = rowsByKey.get(conversation.externalKey) ?? 0;
    if (copies === 0) {
      lost += 1;
      violation(conversation, 'missing');
      continue;
    }
    if (copies > 1 || (audited.get(`${conversation.conversationId} CONVERSATION_CAPTURED`) ?? 0) !== 1) {
      duplicated += 1;
      violation(conversation, `${copies} rows, captured ${audited.get(`${conversation.conversationId} CONVERSATION_CAPTURED`) ?? 0} times in the audit log`);
    }
    for (const leg of conversation.legs) {
      const newestAudited = versionsAudited.get(`${leg.contactId} ${leg.newestUpdate}`) ?? 0;
      const lateLeg = inputs.disposedLate.has(conversation.conversationId) && newestAudited === 0;
      if (newestAudited > 1) violation(conversation, `leg ${leg.contactId}'s newest copy audited ${newestAudited} times`);
      if (newestAudited === 0 && !lateLeg) violation(conversation, `leg ${leg.contactId}'s newest copy never audited`);
    }
    for (const [version, times] of versionsAudited) {
      if (times > 1 && conversation.legs.some((leg) => version.startsWith(`${leg.contactId} `))) violation(conversation, `copy ${version} audited ${times} times`);
    }
    const row = rowById.get(conversation.conversationId)!;
    const isDeleted = row.lifecycle_state === 'deleted' || row.deleted_at !== null || (ledger.get(conversation.conversationId) ?? 0) > 0;
    const deletions = audited.get(`${conversation.conversationId} CONVERSATION_DELETED`) ?? 0;
    const description = await inputs.temporal.workflow.getHandle(conversationWorkflowId(conversation.conversationId)).describe();
    if (conversation.role === 'delete') {
      deleted += isDeleted ? 1 : 0;
      if (!isDeleted) violation(conversation, `not deleted (state ${row.lifecycle_state})`);
      if (row.deleted_at === null || row.customer_address !== null) violation(conversation, 'no tombstone (deleted_at unset or personal data left)');
      if ((ledger.get(conversation.conversationId) ?? 0) !== 1) violation(conversation, `${ledger.get(conversation.conversationId) ?? 0} disposal ledger entries`);
      if (deletions !== 1) violation(conversation, `deletion audited ${deletions} times`);
      if (description.status.name !== 'COMPLETED') violation(conversation, `lifecycle ${description.status.name}, not COMPLETED`);
      continue;
    }
    if (isDeleted || deletions > 0) {
      wronglyDeleted += 1;
      violation(conversation, 'deleted although it must be kept');
      continue;
    }
    for (const leg of conversation.legs) {
      const stored = legById.get(leg.contactId);
      if (!stored || stored.last_update !== leg.newestUpdate) {
        lost += 1;
        violation(conversation, `leg ${leg.contactId} ${stored ? `kept at ${stored.last_update}, not its newest copy ${leg.newestUpdate}` : 'missing'}`);
      }
    }
    if (description.status.name !== 'RUNNING') violation(conversation, `lifecycle ${description.status.name}, not RUNNING (waiting)`);
    const retention = await inputs.api.send('GET', `/v1/conversations/${conversation.conversationId}/retention`);
    if (conversation.role === 'hold') {
      kept.held += 1;
      if (retention.body.activeHolds?.length < 1) violation(conversation, 'no active hold in its retention overview');
      // A hold request answered too late for the feed is sent again and places a second hold: one entry per hold.
      const placed = audited.get(`${conversation.conversationId} LEGAL_HOLD_ADD`) ?? 0;
      if (placed !== holds.get(conversation.conversationId)) violation(conversation, `${holds.get(conversation.conversationId) ?? 0} holds, ${placed} audited`);
    } else if (conversation.role === 'protect') {
      kept.protected += 1;
      if (retention.body.protectingTags?.length < 1 || !retention.body.protectedUntil) violation(conversation, 'not protected in its retention overview');
    } else {
      kept.archived += 1;
      const archived = audited.get(`${conversation.conversationId} CONVERSATION_ARCHIVED`) ?? 0;
      if (archived !== 1) violation(conversation, `archived ${archived} times in the audit log`);
    }
  }

  for (const call of workload.calls) {
    let expected: CallState | null = null;
    for (const event of call.events) {
      const outcome = applyCallEvent(expected, event as unknown as CallEvent, []);
      if (outcome.ok) expected = outcome.state;
    }
    const conversationId = inputs.callConversations.get(call.callId);
    const read = await inputs.api.send('GET', `/v1/calls/${call.callId}`);
    if (!conversationId || read.status !== 200) {
      lost += 1;
      violations.push(`call ${call.callId}: ${read.status}`);
      continue;
    }
    kept.calls += 1;
    if (read.body.status !== expected!.status || read.body.segments.length !== expected!.segments.length) {
      violations.push(`call ${call.callId}: ${read.body.status} with ${read.body.segments.length} segments, expected ${expected!.status} with ${expected!.segments.length}`);
    }
    const captured = audited.get(`${conversationId} CONVERSATION_CAPTURED`) ?? 0;
    if (captured !== 1) {
      duplicated += captured > 1 ? 1 : 0;
      violations.push(`call ${call.callId}: captured ${captured} times in the audit log`);
    }
  }

  const chain = await verifyAuditChain(inputs.db, {});
  if (!chain.verified) violations.push(`audit chain broken: ${JSON.stringify(chain.firstBreak)}`);
  return { lost, duplicated, wronglyDeleted, deleted, kept, auditEntriesVerified: chain.entries, violations };
}
