import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.js';
import { queryRows } from '../../src/db/query-rows.js';
import { auditCheckpointScheduleId, type AuditCheckpointResult } from '../../src/workflows/audit-checkpoint.contract.js';
import { conversationWorkflowId } from '../../src/workflows/conversation-lifecycle.contract.js';
import { deleteScheduleId } from '../../src/workflows/delete-run.contract.js';
import type { StackProcess } from '../../scripts/stack.js';
import { contactRecord } from '../support/contact-records.js';
import { httpCall, type HttpCall } from '../support/harness.js';
import { createIdentity } from '../support/identities.js';
import { eventually } from '../support/lifecycle.js';
import { startStackFixture, type StackFixture } from './stack-fixture.js';

/**
 * The production topology (`npm run stack`) under failure: the full Temporal server on PostgreSQL, two
 * worker processes and two API processes. Prints what it killed and what completed.
 */
const report = (line: string): void => {
  process.stdout.write(`[stack] ${line}\n`);
};

let fixture: StackFixture;
let owner: DatabaseHandle;
let temporal: Client;
let temporalConnection: Connection;
const api = (child: StackProcess): HttpCall => httpCall(child.url!, fixture.adminToken);

beforeAll(async () => {
  fixture = await startStackFixture(report);
  const { stack } = fixture;
  report(`Temporal ${stack.temporal.address}; ${[...stack.workers, ...stack.apis].map((child) => `${child.name} pid ${child.pid}${child.url ? ` ${child.url}` : ''}`).join(', ')}`);
  owner = openPostgres(stack.migrationDatabaseUrl, 2);
  temporalConnection = await Connection.connect({ address: stack.temporal.address });
  temporal = new Client({ connection: temporalConnection });
});

afterAll(async () => {
  await temporalConnection?.close();
  await owner?.close();
  await fixture?.close();
});

/** The worker that completed a workflow's last task, by the SDK's default identity `<pid>@<host>`. */
async function completedBy(workflowId: string): Promise<string> {
  const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
  const completions = (history.events ?? []).filter((event) => event.workflowTaskCompletedEventAttributes);
  const identity = completions.at(-1)?.workflowTaskCompletedEventAttributes?.identity ?? '';
  const pid = Number(identity.split('@')[0]);
  return fixture.stack.workers.find((worker) => worker.pid === pid)?.name ?? identity;
}

describe('the production topology: full Temporal server on PostgreSQL, two workers, two API processes', () => {
  it('fires each delete-run firing and an audit checkpoint exactly once, though both workers poll and both created the schedules', async () => {
    const [apiOne] = fixture.stack.apis as [StackProcess, StackProcess];
    const http = api(apiOne);
    const task = await http('POST', '/v1/delete-tasks', {
      name: 'stack schedule',
      selection: { attribute: { key: 'stackScope', value: `none-${randomUUID()}` } },
      retentionDays: 90,
      intervalSeconds: 2,
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    const runsOf = async () => (await http('GET', `/v1/delete-tasks/${task.body.id}/runs`)).body.items as { id: string; finishedAt: string | null }[];
    await eventually(async () => ((await runsOf()).filter((run) => run.finishedAt).length >= 4 ? true : undefined), 60_000);
    // Paused on Temporal itself: pausing the task recreates its schedule, which would reset the count of firings.
    const scheduleHandle = temporal.schedule.getHandle(deleteScheduleId(task.body.id));
    await scheduleHandle.pause('stack test counts its firings');
    const fired = (await scheduleHandle.describe()).info.numActionsTaken;
    const runs = await eventually(async () => {
      const all = await runsOf();
      return all.length === fired && all.every((run) => run.finishedAt) ? all : undefined;
    }, 30_000);
    expect(new Set(runs.map((run) => run.id)).size).toBe(fired);
    const runners = await Promise.all(runs.map((run) => completedBy(run.id)));
    expect((await http('DELETE', `/v1/delete-tasks/${task.body.id}`)).status).toBeLessThan(300);
    report(`delete task schedule fired ${fired} times: ${fired} runs recorded, one each, run by ${[...new Set(runners)].join(' and ')}`);

    // Both workers ensured the checkpoint schedule at start-up: there is one, and one firing writes one checkpoint.
    const checkpointSchedules: string[] = [];
    for await (const listed of temporal.schedule.list()) if (listed.scheduleId.startsWith('audit-checkpoint')) checkpointSchedules.push(listed.scheduleId);
    expect(checkpointSchedules).toEqual([auditCheckpointScheduleId('recordkeeper')]);
    const checkpoints = async () => (await queryRows<{ count: number }>(owner.db, sql`select count(*)::int as count from audit_checkpoints`))[0]!.count;
    const before = await checkpoints();
    const handle = temporal.schedule.getHandle(auditCheckpointScheduleId('recordkeeper'));
    const actionsBefore = (await handle.describe()).info.numActionsTaken;
    await handle.trigger();
    const started = await eventually(async () => {
      const description = await handle.describe();
      return description.info.numActionsTaken > actionsBefore ? description.info.recentActions.at(-1)?.action.workflow : undefined;
    });
    const result: AuditCheckpointResult = await temporal.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
    expect(result.created).toBe(true);
    expect(await checkpoints()).toBe(before + 1);
    report(`audit checkpoint schedule: one schedule for two workers, triggered once, ${(await checkpoints()) - before} checkpoint written (by ${await completedBy(started.workflowId)})`);
  });

  it('captures through both API processes at once; with one worker and one API process killed mid-run, every lifecycle completes once on the survivors', async () => {
    const [apiOne, apiTwo] = fixture.stack.apis as [StackProcess, StackProcess];
    const [workerOne, workerTwo] = fixture.stack.workers as [StackProcess, StackProcess];
    const scope = `stack-${randomUUID().slice(0, 8)}`;
    const task = await api(apiOne)('POST', '/v1/delete-tasks', {
      name: 'stack lifecycles',
      selection: { attribute: { key: 'stackScope', value: scope } },
      retentionSeconds: 20,
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);

    const total = 40;
    const killAfter = total / 2;
    const conversations = new Map<string, string>();
    const acceptedBy = new Map<string, number>();
    let sentAgain = 0;
    let killing: Promise<void> | undefined;
    /** One record, sent as a load balancer would: to its API process, and to the survivor once that one is gone. */
    const capture = async (contactId: string, preferred: StackProcess) => {
      const now = new Date().toISOString();
      const record = contactRecord({ ContactId: contactId, InitiationTimestamp: now, LastUpdateTimestamp: now, Attributes: { stackScope: scope } });
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const target = preferred.alive() ? preferred : apiOne;
        if (attempt > 0) sentAgain += 1;
        try {
          const answer = await api(target)('POST', '/v1/contact-records', record);
          const result = answer.body?.results?.[0] as { conversationId: string | null; status: string } | undefined;
          if (answer.status === 200 && result?.conversationId && result.status !== 'failed') {
            conversations.set(contactId, result.conversationId);
            acceptedBy.set(target.name, (acceptedBy.get(target.name) ?? 0) + 1);
            if (conversations.size === killAfter && !killing) {
              killing = Promise.all([workerOne.kill(), apiTwo.kill()]).then(() =>
                report(`killed ${workerOne.name} (pid ${workerOne.pid}) and ${apiTwo.name} (pid ${apiTwo.pid}) with SIGKILL after ${killAfter} of ${total} captures`),
              );
            }
            return;
          }
        } catch {
          // The process died under the request (connection refused or reset): send it again, to whichever API is alive.
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`contact ${contactId} was never accepted`);
    };
    const contacts = Array.from({ length: total }, (_, index) => ({ contactId: randomUUID(), api: index % 2 === 0 ? apiOne : apiTwo }));
    // Four captures in flight at a time on each API process.
    const lanes = Array.from({ length: 8 }, (_, lane) => (async () => {
      for (let index = lane; index < contacts.length; index += 8) await capture(contacts[index]!.contactId, contacts[index]!.api);
    })());
    await Promise.all(lanes);
    await killing;
    expect(workerOne.alive()).toBe(false);
    expect(apiTwo.alive()).toBe(false);
    report(`captured ${conversations.size} contacts: ${[...acceptedBy].map(([name, count]) => `${count} through ${name}`).join(', ')}; ${sentAgain} requests sent again after a failure`);
    expect(new Set(conversations.values()).size).toBe(total);

    const ids = [...conversations.values()];
    const completedAll = Date.now();
    await eventually(async () => {
      const statuses = await Promise.all(ids.map(async (id) => (await temporal.workflow.getHandle(conversationWorkflowId(id)).describe()).status.name));
      return statuses.every((status) => status === 'COMPLETED') ? true : undefined;
    }, 240_000, 2_000);
    const finishers = await Promise.all(ids.map((id) => completedBy(conversationWorkflowId(id))));
    expect(new Set(finishers)).toEqual(new Set([workerTwo.name]));
    report(`all ${total} lifecycles COMPLETED (deleted after their 20 s window) ${Math.round((Date.now() - completedAll) / 1000)} s after the last capture, each finished by ${workerTwo.name}`);

    const listed = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
    const perConversation = await queryRows<{ conversationId: string; captured: number; deleted: number; disposals: number }>(
      owner.db,
      sql`select c.id as "conversationId",
            (select count(*)::int from audit_log a where a.conversation_id = c.id and a.activity = 'CONVERSATION_CAPTURED') as captured,
            (select count(*)::int from audit_log a where a.conversation_id = c.id and a.activity = 'CONVERSATION_DELETED') as deleted,
            (select count(*)::int from disposal_ledger d where d.conversation_id = c.id) as disposals
          from conversations c where c.id in (${listed})`,
    );
    expect(perConversation).toHaveLength(total);
    for (const row of perConversation) expect(row, row.conversationId).toMatchObject({ captured: 1, deleted: 1, disposals: 1 });
    report(`each of the ${total} conversations: captured once, deleted once, one disposal ledger entry`);
  });

  it('verifies the audit chain written by every process (two APIs, two workers) through the surviving API', async () => {
    const [apiOne] = fixture.stack.apis as [StackProcess, StackProcess];
    const auditor = await createIdentity(owner.db, 'auditor');
    const verified = await httpCall(apiOne.url!, auditor.token)('GET', '/v1/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body, JSON.stringify(verified.body.firstBreak)).toMatchObject({ verified: true });
    expect(verified.body.firstBreak).toBeUndefined();
    report(`audit chain verified: ${verified.body.entries} entries, ${verified.body.checkpoints} checkpoints${verified.body.anchors ? `, anchors verified ${verified.body.anchors.verified}` : ''}`);
  });
});
