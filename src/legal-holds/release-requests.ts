import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { RequestContext } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Executor } from '../db/client.js';
import { conversations, legalHoldReleases, legalHolds, type HoldReleaseReport } from '../db/schema/index.js';
import { decideRetention } from '../domain/retention-decision.js';
import { decideRetentionOf } from '../retention/retention-decisions.js';

/** How long a release request waits for its second approver. */
export const RELEASE_APPROVAL_WINDOW_MS = 72 * 3600 * 1000;
const REPORT_PAGE = 500;
const REPORT_SAMPLE = 100;

/** What is to be released: every active hold of a search hold's group, or one hold of one conversation. */
export type HoldReleaseTarget = { kind: 'group'; holdGroupId: string } | { kind: 'hold'; holdId: string; conversationId: string };

export type HoldReleaseRequest = typeof legalHoldReleases.$inferSelect;

export interface HoldReleaseView {
  requestId: string;
  holdGroupId: string;
  conversationId: string | null;
  reason: string;
  status: 'pending' | 'approved' | 'expired';
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  report: HoldReleaseReport;
}

export function holdReleaseView(row: HoldReleaseRequest, now = new Date()): HoldReleaseView {
  return {
    requestId: row.id,
    holdGroupId: row.holdGroupId,
    conversationId: row.conversationId,
    reason: row.reason,
    status: row.status === 'pending' && row.expiresAt <= now ? 'expired' : row.status,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    approvedBy: row.approvedBy,
    approvedAt: row.approvedAt?.toISOString() ?? null,
    report: row.report,
  };
}

async function activeHoldsOf(executor: Executor, target: HoldReleaseTarget) {
  const condition =
    target.kind === 'group'
      ? sql`${legalHolds.scope}->>'holdGroupId' = ${target.holdGroupId}`
      : and(eq(legalHolds.id, target.holdId), eq(legalHolds.conversationId, target.conversationId));
  return executor.select({ id: legalHolds.id, conversationId: legalHolds.conversationId }).from(legalHolds).where(and(isNull(legalHolds.releasedAt), condition));
}

/**
 * What releasing these holds lets go at once: each held conversation decided again, by the one retention
 * decision, as if these holds were gone; due with its window already passed means deleted right after release.
 */
export async function preReleaseReport(executor: Executor, holds: readonly { id: string; conversationId: string }[], now = new Date()): Promise<HoldReleaseReport> {
  const releasing = new Set(holds.map((hold) => hold.id));
  const conversationIds = [...new Set(holds.map((hold) => hold.conversationId))];
  const report: HoldReleaseReport = { holds: holds.length, conversations: conversationIds.length, dueAtOnce: 0, dueAtOnceSample: [] };
  for (let start = 0; start < conversationIds.length; start += REPORT_PAGE) {
    const page = conversationIds.slice(start, start + REPORT_PAGE);
    const rows = await executor.select().from(conversations).where(and(inArray(conversations.id, page), isNull(conversations.deletedAt)));
    const { rules, decided } = await decideRetentionOf(executor, rows, now);
    for (const [conversationId, { facts }] of decided) {
      const after = decideRetention({ ...facts, holds: facts.holds.filter((hold) => !releasing.has(hold.id)) }, rules, now);
      if (after.status !== 'due' || after.verdict !== 'delete' || after.deleteAt > now) continue;
      report.dueAtOnce += 1;
      if (report.dueAtOnceSample.length < REPORT_SAMPLE) report.dueAtOnceSample.push({ conversationId, deleteTaskId: after.taskId, dueAt: after.deleteAt.toISOString() });
    }
  }
  return report;
}

/** Records a release request with its pre-release report; undefined when the target has no active hold. */
export async function requestHoldRelease(
  db: Database,
  input: { target: HoldReleaseTarget; reason: string; context: RequestContext; approvalWindowMs?: number },
): Promise<HoldReleaseView | undefined> {
  return db.transaction(async (tx) => {
    const holds = await activeHoldsOf(tx, input.target);
    if (holds.length === 0) return undefined;
    const report = await preReleaseReport(tx, holds);
    const holdGroupId = input.target.kind === 'group' ? input.target.holdGroupId : input.target.holdId;
    const conversationId = input.target.kind === 'hold' ? input.target.conversationId : null;
    const [row] = await tx
      .insert(legalHoldReleases)
      .values({
        id: randomUUID(),
        holdGroupId,
        conversationId,
        reason: input.reason,
        requestedBy: input.context.actor.id,
        expiresAt: new Date(Date.now() + (input.approvalWindowMs ?? RELEASE_APPROVAL_WINDOW_MS)),
        report,
      })
      .returning();
    await appendAudit(tx, [
      syncEntry({
        activity: 'LEGAL_HOLD_RELEASE_REQUEST',
        result: 'OK',
        actor: input.context.actor,
        description: `Release of legal hold ${holdGroupId} requested (${report.holds} hold(s), ${report.dueAtOnce} conversation(s) due at once); awaits a second approver`,
        details: { requestId: row!.id, holdGroupId, reason: input.reason, expiresAt: row!.expiresAt.toISOString(), report: { ...report, dueAtOnceSample: report.dueAtOnceSample.length } },
        correlationId: input.context.correlationId,
        conversationId,
      }),
    ]);
    return holdReleaseView(row!);
  });
}

export type ApprovalRefusal = 'not-found' | 'own-request' | 'expired';

/**
 * Approves a pending request, under its row lock: never by its requester, never after it expired. An
 * approved request may be approved again (by anyone but its requester) to finish a release that failed after
 * the approval: releasing is idempotent.
 */
export async function approveHoldRelease(db: Database, input: { requestId: string; context: RequestContext }): Promise<{ request: HoldReleaseRequest } | { refusal: ApprovalRefusal; request?: HoldReleaseRequest }> {
  return db.transaction(async (tx) => {
    const [request] = await tx.select().from(legalHoldReleases).where(eq(legalHoldReleases.id, input.requestId)).for('update');
    if (!request) return { refusal: 'not-found' as const };
    if (request.requestedBy === input.context.actor.id) return { refusal: 'own-request' as const, request };
    if (request.status === 'approved') return { request };
    if (request.expiresAt <= new Date()) return { refusal: 'expired' as const, request };
    const [approved] = await tx
      .update(legalHoldReleases)
      .set({ status: 'approved', approvedBy: input.context.actor.id, approvedAt: sql`now()` })
      .where(eq(legalHoldReleases.id, input.requestId))
      .returning();
    await appendAudit(tx, [
      syncEntry({
        activity: 'LEGAL_HOLD_RELEASE_APPROVE',
        result: 'OK',
        actor: input.context.actor,
        description: `Release of legal hold ${request.holdGroupId} approved (requested by ${request.requestedBy})`,
        details: { requestId: request.id, holdGroupId: request.holdGroupId, requestedBy: request.requestedBy, reason: request.reason },
        correlationId: input.context.correlationId,
        conversationId: request.conversationId,
      }),
    ]);
    return { request: approved! };
  });
}

export async function findHoldRelease(executor: Executor, requestId: string): Promise<HoldReleaseRequest | undefined> {
  const [row] = await executor.select().from(legalHoldReleases).where(eq(legalHoldReleases.id, requestId));
  return row;
}

/** Pending requests that can still be approved, oldest first. */
export async function pendingHoldReleases(executor: Executor, limit: number): Promise<HoldReleaseRequest[]> {
  return executor
    .select()
    .from(legalHoldReleases)
    .where(and(eq(legalHoldReleases.status, 'pending'), sql`${legalHoldReleases.expiresAt} > now()`))
    .orderBy(legalHoldReleases.requestedAt)
    .limit(limit);
}
