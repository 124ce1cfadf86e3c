import { and, eq, sql } from 'drizzle-orm';
import type { RequestContext } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import type { Database, Executor } from '../db/client.js';
import { conversations, searchHoldRuns, type SearchHoldRunRow } from '../db/schema/index.js';
import { searchConversations } from '../search/conversation-search.js';
import { attributeFilters, type ConversationSearchFilters } from '../search/search-filters.js';
import { placeHoldsIn } from './search-holds.js';

/** Conversations listed by id among a run's skips; beyond this only counted. */
const MAX_LISTED_SKIPS = 100;

export class SearchHoldRunNotFound extends Error {
  constructor(readonly holdGroupId: string) {
    super(`no search hold run ${holdGroupId}`);
  }
}

/** A run whose stored search the search no longer accepts: no retry can place it. */
export class SearchHoldRunInvalid extends Error {}

/** The filters as stored (JSON: dates as ISO strings), back to what the search takes. */
function filtersOf(stored: Record<string, unknown>): ConversationSearchFilters {
  const { from, to, attributes, ...rest } = stored as ConversationSearchFilters & { from?: string; to?: string; attributes?: Record<string, string> };
  try {
    return {
      ...rest,
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
      attributes: attributes ? attributeFilters(Object.entries(attributes)) : undefined,
    };
  } catch (error) {
    throw new SearchHoldRunInvalid(`the hold's search cannot be run: ${(error as Error).message}`);
  }
}

const contextOf = (run: SearchHoldRunRow): RequestContext => ({ actor: run.actor as unknown as RequestContext['actor'], correlationId: run.correlationId });

/**
 * Records the run of a search hold (status `placing`) with its start audit entry. The matched set is fixed
 * here: `captured_before` is this transaction's time, and conversations captured later are not part of it,
 * so a run over a store that keeps growing still ends. A second call for the same group (a retried request)
 * returns the run already recorded, and whether it asked for the same hold.
 */
export async function startSearchHoldRun(
  db: Database,
  input: { holdGroupId: string; filters: ConversationSearchFilters; scope: Record<string, unknown>; reason: string; reference: string | null; context: RequestContext },
): Promise<{ run: SearchHoldRunRow; created: boolean; sameRequest: boolean }> {
  const query = JSON.parse(JSON.stringify(input.filters)) as Record<string, unknown>;
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(searchHoldRuns)
      .values({
        holdGroupId: input.holdGroupId,
        query,
        scope: input.scope,
        reason: input.reason,
        reference: input.reference,
        actor: { ...input.context.actor },
        correlationId: input.context.correlationId,
        capturedBefore: sql`now()`,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) {
      // jsonb equality, which ignores key order: the same search given again.
      const [existing] = await tx
        .select({ run: searchHoldRuns, sameQuery: sql<boolean>`${searchHoldRuns.query} = ${JSON.stringify(query)}::jsonb` })
        .from(searchHoldRuns)
        .where(eq(searchHoldRuns.holdGroupId, input.holdGroupId));
      return { run: existing!.run, created: false, sameRequest: existing!.sameQuery && existing!.run.reason === input.reason && existing!.run.reference === input.reference };
    }
    await appendAudit(tx, [
      syncEntry({
        activity: 'LEGAL_HOLD_RUN_START',
        result: 'OK',
        actor: input.context.actor,
        correlationId: input.context.correlationId,
        description: `Legal hold ${input.holdGroupId} over a search: placing started`,
        details: { ...input.scope, reason: input.reason, reference: input.reference, capturedBefore: created.capturedBefore.toISOString() },
      }),
    ]);
    return { run: created, created: true, sameRequest: true };
  });
}

export interface SearchHoldRunPageOutcome {
  /** The run's totals after this page. */
  pagesDone: number;
  matched: number;
  held: number;
  skipped: number;
  /** No matched conversation is left after this page. */
  done: boolean;
}

/**
 * Places page `pageIndex` of a run: search after the run's cursor, lock, hold and audit, and advance the
 * cursor and counters, all in one transaction under the run's row lock. A page already done (a retried
 * activity) changes nothing and reports the totals as they are; the caller then asks for the next page.
 */
export async function placeSearchHoldRunPage(db: Database, input: { holdGroupId: string; pageIndex: number; limit: number }): Promise<SearchHoldRunPageOutcome> {
  return db.transaction(async (tx) => {
    const [run] = await tx.select().from(searchHoldRuns).where(eq(searchHoldRuns.holdGroupId, input.holdGroupId)).for('update');
    if (!run) throw new SearchHoldRunNotFound(input.holdGroupId);
    const totals = (row: SearchHoldRunRow, done: boolean): SearchHoldRunPageOutcome => ({ pagesDone: row.pagesDone, matched: row.matched, held: row.held, skipped: row.skipped, done });
    if (run.status !== 'placing') return totals(run, true);
    if (run.pagesDone > input.pageIndex) return totals(run, false);
    const capturedInTime = sql`${conversations.createdAt} <= (select ${searchHoldRuns.capturedBefore} from ${searchHoldRuns} where ${searchHoldRuns.holdGroupId} = ${run.holdGroupId})`;
    const page = await searchConversations(tx, { filters: filtersOf(run.query), scope: capturedInTime, after: run.after ?? undefined, limit: input.limit });
    const { placed, deleted } = await placeHoldsIn(tx, {
      holdGroupId: run.holdGroupId,
      conversationIds: page.map((row) => row.id),
      reason: run.reason,
      reference: run.reference,
      scope: run.scope,
      context: contextOf(run),
    });
    const skips = [...run.skips, ...deleted.map((conversationId) => ({ conversationId, reason: 'conversation was deleted before the hold' }))].slice(0, MAX_LISTED_SKIPS);
    const [updated] = await tx
      .update(searchHoldRuns)
      .set({
        pagesDone: input.pageIndex + 1,
        after: page.at(-1)?.position ?? run.after,
        matched: run.matched + page.length,
        held: run.held + placed.length,
        skipped: run.skipped + deleted.length,
        skips,
      })
      .where(eq(searchHoldRuns.holdGroupId, run.holdGroupId))
      .returning();
    return totals(updated!, page.length < input.limit);
  });
}

/**
 * Ends a run: `in_force` once every page is placed, or `failed` with the reason (the holds placed so far
 * stay in force, and the run says how far it got). Audited in the same transaction; finishing an ended run
 * returns it unchanged.
 */
export async function finishSearchHoldRun(db: Database, input: { holdGroupId: string; failure: string | null }): Promise<SearchHoldRunRow> {
  return db.transaction(async (tx) => {
    const [finished] = await tx
      .update(searchHoldRuns)
      .set({ status: input.failure === null ? 'in_force' : 'failed', failure: input.failure, finishedAt: sql`now()` })
      .where(and(eq(searchHoldRuns.holdGroupId, input.holdGroupId), eq(searchHoldRuns.status, 'placing')))
      .returning();
    if (!finished) {
      const existing = await findSearchHoldRun(tx, input.holdGroupId);
      if (!existing) throw new SearchHoldRunNotFound(input.holdGroupId);
      return existing;
    }
    const { actor, correlationId } = contextOf(finished);
    const outcome = input.failure === null ? `in force on ${finished.held} conversation(s)` : `failed after ${finished.held} hold(s): ${input.failure}`;
    await appendAudit(tx, [
      syncEntry({
        activity: 'LEGAL_HOLD_RUN_FINISH',
        result: input.failure === null && finished.skipped === 0 ? 'OK' : 'FAIL',
        actor,
        correlationId,
        description: `Legal hold ${finished.holdGroupId} over a search ${outcome}`,
        details: { ...finished.scope, matched: finished.matched, held: finished.held, skipped: finished.skipped, failed: finished.skips, failure: input.failure },
      }),
    ]);
    return finished;
  });
}

export async function findSearchHoldRun(executor: Executor, holdGroupId: string): Promise<SearchHoldRunRow | undefined> {
  const [run] = await executor.select().from(searchHoldRuns).where(eq(searchHoldRuns.holdGroupId, holdGroupId));
  return run;
}
