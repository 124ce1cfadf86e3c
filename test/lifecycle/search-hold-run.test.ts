import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { auditLog, conversations, legalHolds } from '../../src/db/schema/index.js';
import { startSearchHoldRun } from '../../src/legal-holds/search-hold-runs.js';
import { SEARCH_HOLD_RUN_WORKFLOW, searchHoldRunWorkflowId } from '../../src/workflows/search-hold-run.contract.js';
import { appOnHarness, httpCall, type HttpCall } from '../support/harness.js';
import { eventually, lifecycleHarness, uniqueId } from '../support/lifecycle.js';
import { startWorkerProcess } from '../support/worker-process.js';

const { harness } = await lifecycleHarness();

// Small pages and few pages per workflow run, so 2,500 conversations take 25 pages and two continue-as-new;
// no waiting in the request, so every answer is the run still placing.
const PAGE_SIZE = 100;
const app = appOnHarness(harness, { searchHoldRun: { pageSize: PAGE_SIZE, pagesPerRun: 10, answerWithinMs: 0 } });
const server: ServerType = await new Promise((resolve) => {
  const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
});
const http: HttpCall = httpCall(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, harness.admin.token);
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const MATCHED = 2_500;

/**
 * `count` conversations of one matter, inserted as rows (no lifecycles: placing the hold is what is under
 * test), newest first by minute: the one at `index` (0-based) is on page floor(index / PAGE_SIZE).
 */
async function seedMatter(count: number): Promise<{ matter: string; idsNewestFirst: string[] }> {
  const matter = uniqueId('run-matter');
  const rows = await queryRows<{ id: string }>(harness.db, sql`
    insert into conversations (id, source, external_key, channel, started_at, attributes, workflow_id)
    select gen_random_uuid(), 'hold-run-test', ${matter} || '-' || g, 'VOICE', now() - g * interval '1 minute', jsonb_build_object('matter', ${matter}::text), 'hold-run-' || ${matter} || '-' || g
    from generate_series(1, ${count}::int) g
    order by g
    returning id`);
  return { matter, idsNewestFirst: rows.map((row) => row.id) };
}

/** Holds `conversationId`'s row lock (as a deletion would) until `release` is called: the run waits there. */
function lockConversation(conversationId: string): { release: () => Promise<void> } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = harness.db.transaction(async (tx) => {
    await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId)).for('update');
    locked();
    await released;
  });
  return {
    release: async () => {
      await isLocked;
      release();
      await transaction;
    },
  };
}

const status = async (holdGroupId: string) => (await http('GET', `/v1/legal-holds/${holdGroupId}`)).body;

async function holdsOf(holdGroupId: string) {
  const [counted] = await harness.db
    .select({ holds: sql<number>`count(*)::int`, conversations: sql<number>`count(distinct ${legalHolds.conversationId})::int` })
    .from(legalHolds)
    .where(sql`${legalHolds.scope}->>'holdGroupId' = ${holdGroupId}`);
  const [audited] = await harness.db
    .select({ entries: sql<number>`count(*)::int`, conversations: sql<number>`count(distinct ${auditLog.conversationId})::int` })
    .from(auditLog)
    .where(and(eq(auditLog.activity, 'LEGAL_HOLD_ADD'), sql`${auditLog.details}->'scope'->>'holdGroupId' = ${holdGroupId}`));
  return { ...counted!, audited: audited! };
}

const runEntries = async (holdGroupId: string) =>
  (
    await harness.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.activity} in ('LEGAL_HOLD_RUN_START', 'LEGAL_HOLD_RUN_FINISH') and ${auditLog.details}->>'holdGroupId' = ${holdGroupId}`)
      .orderBy(asc(auditLog.chainSeq))
  ).map(
    (entry) => `${entry.activity}:${entry.result}`,
  );

describe('a legal hold over a large search, placed as a durable run', () => {
  it('reports placing with progress, refuses release meanwhile, then in force on every matched conversation, each held and audited once', async () => {
    const { matter, idsNewestFirst } = await seedMatter(MATCHED);
    // The run stops on page 12 (conversations 1,200 to 1,299) until the lock is released.
    const lock = lockConversation(idsNewestFirst[1_250]!);

    const placed = await http('POST', '/v1/legal-holds', { reason: 'matter 2026-300', reference: 'M-300', query: { 'attr.matter': matter } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(202);
    const holdGroupId: string = placed.body.holdGroupId;
    expect(placed.body).toMatchObject({ status: 'placing', statusUrl: `/v1/legal-holds/${holdGroupId}` });
    expect(placed.headers.get('location')).toBe(`/v1/legal-holds/${holdGroupId}`);

    // Conversations captured after the run started are not part of it, even one that sorts onto its last page.
    const [late] = await harness.db
      .insert(conversations)
      .values({ id: randomUUID(), source: 'hold-run-test', externalKey: `${matter}-late`, channel: 'VOICE', startedAt: new Date(Date.now() - 10 * 365 * 86_400_000), attributes: { matter }, workflowId: `hold-run-${matter}-late` })
      .returning({ id: conversations.id });

    const midway = await eventually(async () => {
      const body = await status(holdGroupId);
      return body.held === 12 * PAGE_SIZE ? body : undefined;
    }, 120_000);
    expect(midway).toMatchObject({ status: 'placing', matched: 12 * PAGE_SIZE, held: 12 * PAGE_SIZE, finishedAt: null });
    const listed = await http('GET', '/v1/legal-holds?status=active&limit=500');
    expect(listed.body.items.find((item: { holdGroupId: string }) => item.holdGroupId === holdGroupId)).toMatchObject({ status: 'placing', active: 12 * PAGE_SIZE });

    const release = await http('POST', `/v1/legal-holds/${holdGroupId}/release`, { reason: 'too early' });
    expect(release.status, JSON.stringify(release.body)).toBe(409);
    expect(release.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(release.body).toMatchObject({ title: 'Hold still placing' });

    await lock.release();
    const done = await eventually(async () => {
      const body = await status(holdGroupId);
      return body.status === 'placing' ? undefined : body;
    }, 120_000);
    expect(done).toMatchObject({ status: 'in_force', matched: MATCHED, held: MATCHED, skipped: 0, failed: [], failure: null });
    expect(await holdsOf(holdGroupId)).toEqual({ holds: MATCHED, conversations: MATCHED, audited: { entries: MATCHED, conversations: MATCHED } });
    expect(await harness.db.select().from(legalHolds).where(eq(legalHolds.conversationId, late!.id))).toEqual([]);
    expect(await runEntries(holdGroupId)).toEqual(['LEGAL_HOLD_RUN_START:OK', 'LEGAL_HOLD_RUN_FINISH:OK']);
    const relisted = await http('GET', '/v1/legal-holds?status=active&limit=500');
    expect(relisted.body.items.find((item: { holdGroupId: string }) => item.holdGroupId === holdGroupId)).toMatchObject({ status: 'in_force', active: MATCHED });

    // 25 pages at 10 per workflow run: the run continued as new twice (the last one ends after telling the lifecycles).
    const executions = await eventually(async () => {
      const runs: string[] = [];
      for await (const execution of harness.client.workflow.list({ query: `WorkflowId = '${searchHoldRunWorkflowId(holdGroupId)}'` })) runs.push(execution.status.name);
      return runs.length === 3 && !runs.includes('RUNNING') ? runs : undefined;
    });
    expect(executions.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
  }, 300_000);

  it('answers a retried request with the run the first one started, and refuses the key for another request', async () => {
    const { matter } = await seedMatter(250);
    const key = randomUUID();
    const body = { reason: 'matter 2026-301', reference: null, query: { 'attr.matter': matter } };
    const first = await http('POST', '/v1/legal-holds', body, { 'idempotency-key': key });
    const retried = await http('POST', '/v1/legal-holds', body, { 'idempotency-key': key });
    expect([first.status, retried.status]).toEqual([202, 202]);
    expect(retried.body.holdGroupId).toBe(first.body.holdGroupId);
    const holdGroupId: string = first.body.holdGroupId;
    await eventually(async () => ((await status(holdGroupId)).status === 'in_force' ? true : undefined), 120_000);
    const afterwards = await http('POST', '/v1/legal-holds', body, { 'idempotency-key': key });
    expect(afterwards.status, 'a run in force is answered as it is').toBe(201);
    expect(afterwards.body).toMatchObject({ holdGroupId, status: 'in_force', matched: 250, held: 250 });
    expect(await holdsOf(holdGroupId)).toMatchObject({ holds: 250, conversations: 250 });
    expect(await runEntries(holdGroupId)).toEqual(['LEGAL_HOLD_RUN_START:OK', 'LEGAL_HOLD_RUN_FINISH:OK']);

    const reused = await http('POST', '/v1/legal-holds', { ...body, reason: 'another matter' }, { 'idempotency-key': key });
    expect(reused.status).toBe(409);
    expect(reused.body.errors[0]).toMatchObject({ field: 'idempotency-key' });
    const otherUser = httpCall(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, await harness.tokenFor('compliance-analyst'));
    const theirs = await otherUser('POST', '/v1/legal-holds', body, { 'idempotency-key': key });
    expect(theirs.body.holdGroupId, "one user's key never answers another's request").not.toBe(holdGroupId);
  }, 180_000);

  it('reports failed with the reason when its search can no longer be run, audited as failed', async () => {
    const holdGroupId = randomUUID();
    const filters = { attributes: { 'not an attribute name': 'x' } };
    const actor = { type: 'user' as const, id: harness.admin.userId, username: harness.admin.username, fullName: 'Test' };
    await startSearchHoldRun(harness.db, { holdGroupId, filters, scope: { holdGroupId, query: filters }, reason: 'broken search', reference: null, context: { actor, correlationId: holdGroupId } });
    const result = await harness.client.workflow.execute(SEARCH_HOLD_RUN_WORKFLOW, {
      workflowId: searchHoldRunWorkflowId(holdGroupId),
      taskQueue: harness.taskQueue,
      args: [{ holdGroupId, pageSize: PAGE_SIZE, pagesPerRun: 10 }],
    });
    expect(result).toMatchObject({ status: 'failed', held: 0 });
    expect(await status(holdGroupId)).toMatchObject({ status: 'failed', held: 0, failure: expect.stringMatching(/cannot be run/) });
    expect(await runEntries(holdGroupId)).toEqual(['LEGAL_HOLD_RUN_START:OK', 'LEGAL_HOLD_RUN_FINISH:FAIL']);
    const listed = await http('GET', '/v1/legal-holds?status=all&limit=500');
    expect(listed.body.items.find((item: { holdGroupId: string }) => item.holdGroupId === holdGroupId)).toMatchObject({ status: 'failed', active: 0 });
  });

  // A worker process shares the database only with a PostgreSQL server; PGlite lives inside one process.
  it.skipIf(!inject('databaseUrl'))('survives its worker killed mid-page: a new worker finishes it in force, no hold placed or audited twice', async () => {
    const { matter, idsNewestFirst } = await seedMatter(MATCHED);
    await harness.stopWorker();
    const workerProcess = await startWorkerProcess(harness);
    let restarted = false;
    try {
      const lock = lockConversation(idsNewestFirst[1_250]!);
      const placed = await http('POST', '/v1/legal-holds', { reason: 'matter 2026-302', reference: null, query: { 'attr.matter': matter } });
      const holdGroupId: string = placed.body.holdGroupId;
      // Killed while page 12 waits for the lock inside its transaction.
      await eventually(async () => ((await status(holdGroupId)).held === 12 * PAGE_SIZE ? true : undefined), 120_000);
      // And only once that page's activity has started on the worker process (it then waits for the lock), so
      // the kill lands inside it however slowly the machine schedules the next page.
      const run = harness.client.workflow.getHandle(searchHoldRunWorkflowId(holdGroupId));
      await eventually(async () => {
        const pending = (await run.describe()).raw.pendingActivities ?? [];
        return pending.some((activity) => String(activity.state) === 'PENDING_ACTIVITY_STATE_STARTED' || Number(activity.state) === 2) ? true : undefined;
      }, 120_000);
      await workerProcess.kill();
      await lock.release();
      await harness.startWorker();
      restarted = true;

      const done = await eventually(async () => {
        const body = await status(holdGroupId);
        return body.status === 'placing' ? undefined : body;
      }, 180_000);
      expect(done).toMatchObject({ status: 'in_force', matched: MATCHED, held: MATCHED });
      // The page the killed worker held was attempted again (its transaction had been rolled back).
      const attempts: number[] = [];
      for await (const execution of harness.client.workflow.list({ query: `WorkflowId = '${searchHoldRunWorkflowId(holdGroupId)}'` })) {
        const history = await harness.client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
        for (const event of history.events ?? []) if (event.activityTaskStartedEventAttributes) attempts.push(event.activityTaskStartedEventAttributes.attempt ?? 1);
      }
      expect(Math.max(...attempts)).toBeGreaterThan(1);
      expect(await holdsOf(holdGroupId)).toEqual({ holds: MATCHED, conversations: MATCHED, audited: { entries: MATCHED, conversations: MATCHED } });
      expect(await runEntries(holdGroupId)).toEqual(['LEGAL_HOLD_RUN_START:OK', 'LEGAL_HOLD_RUN_FINISH:OK']);
    } finally {
      if (!restarted) {
        await workerProcess.kill();
        await harness.startWorker();
      }
    }
  }, 300_000);
});
