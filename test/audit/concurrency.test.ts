import { randomUUID } from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/db/schema/index.js';
import { queryRows } from '../../src/db/query-rows.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, type Harness, type HttpAnswer, type HttpCall } from '../support/harness.js';

let harness: Harness;
let auditor: HttpCall;

beforeAll(async () => {
  harness = await createHarness();
  auditor = harness.as(await harness.tokenFor('auditor')).http;
});
afterAll(async () => {
  await harness?.close();
});

describe('concurrent writers', () => {
  it('leave one chain without forks or gaps that verifies, after 60 parallel requests of three kinds', async () => {
    const requests: Promise<HttpAnswer>[] = [];
    for (let i = 0; i < 20; i++) {
      requests.push(harness.http('POST', '/v1/contact-records', contactRecord()));
      requests.push(harness.http('GET', `/v1/conversations/${randomUUID()}`));
      requests.push(auditor('GET', '/v1/audit?limit=5'));
    }
    const answers = await Promise.all(requests);
    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(20).fill(200), ...Array(20).fill(200), ...Array(20).fill(404)].sort());

    const correlationIds = answers.map((answer) => answer.headers.get('x-request-id')!);
    const ours = await harness.db.select({ chainSeq: auditLog.chainSeq, correlationId: auditLog.correlationId }).from(auditLog).where(inArray(auditLog.correlationId, correlationIds));
    // Imports write 3 entries (BEGIN, CONVERSATION_CAPTURED, END), lookups and searches 2 each.
    expect(ours).toHaveLength(20 * 3 + 20 * 2 + 20 * 2);
    expect(new Set(ours.map((entry) => entry.correlationId)).size).toBe(60);

    // Over the whole log (other test files write to it at the same time): positions 1..n, each exactly once.
    const [positions] = await queryRows<{ entries: string; distinct_positions: string; first: string; last: string }>(
      harness.db,
      sql`select count(*)::text as entries, count(distinct chain_seq)::text as distinct_positions, min(chain_seq)::text as first, max(chain_seq)::text as last from audit_log`,
    );
    expect(positions!.first).toBe('1');
    expect(positions!.distinct_positions).toBe(positions!.entries);
    expect(positions!.last).toBe(positions!.entries);

    const seqs = ours.map((entry) => Number(entry.chainSeq));
    const span = await auditor('GET', `/v1/audit/verify?fromSeq=${Math.min(...seqs)}&toSeq=${Math.max(...seqs)}`);
    expect(span.body).toMatchObject({ verified: true, entries: Math.max(...seqs) - Math.min(...seqs) + 1 });
    const whole = await auditor('GET', '/v1/audit/verify');
    expect(whole.body).toMatchObject({ verified: true, checkedFrom: 1 });
    expect(whole.body.entries).toBe(whole.body.checkedTo);
  });
});
