import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, contactRecords } from '../../src/db/schema/index.js';
import { createHarness } from '../support/harness.js';
import { contactRecord } from '../support/contact-records.js';

// One capture slot and a short deadline: a stopped worker saturates capture at once, without load.
const harness = await createHarness({
  apiDeps: {
    http: {
      corsOrigins: [],
      requestTimeoutMs: 30_000,
      refusalLimit: { auditedPerWindow: 1_000_000, windowMs: 60_000 },
      captureAdmission: { maxInFlight: 1, deadlineMs: 1_000 },
    },
  },
});
afterAll(() => harness.close());

/** A contact-center feed that honours Retry-After: it sends the same request again until it is answered. */
async function deliverHonouringRetryAfter(http: ReturnType<typeof harness.as>['http'], body: unknown) {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await http('POST', '/v1/contact-records', body);
    if (answer.status !== 503 || attempt === 20) return answer;
    await new Promise((resolve) => setTimeout(resolve, Number(answer.headers.get('retry-after')) * 1000));
  }
}

async function storedCopies(contactId: string) {
  const rows = await harness.db.select().from(contactRecords).where(eq(contactRecords.contactId, contactId));
  const captured = rows[0]
    ? await harness.db.select().from(auditLog).where(and(eq(auditLog.conversationId, rows[0].conversationId), eq(auditLog.activity, 'CONVERSATION_CAPTURED')))
    : [];
  return { rows: rows.length, capturedAudits: captured.length };
}

describe('capture when the worker cannot keep up', () => {
  it('answers 503 with Retry-After instead of waiting for the request timeout, and a retry stores each record once', async () => {
    const integration = harness.as(await harness.tokenFor('integration'));
    const first = contactRecord();
    const second = contactRecord();
    const batch = [contactRecord(), contactRecord()];

    // No worker serves the queue: nothing is confirmed, and the second request waits for the only slot.
    await harness.stopWorker();
    const refused = await Promise.all([
      integration.http('POST', '/v1/contact-records', first),
      integration.http('POST', '/v1/contact-records', second),
      integration.http('POST', '/v1/contact-records', batch),
    ]);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.title).toBe('Capture saturated');
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }

    // The feed honours Retry-After once the worker is back: every record is stored, each exactly once.
    await harness.startWorker();
    for (const record of [first, second]) {
      const retried = await deliverHonouringRetryAfter(integration.http, record);
      expect(retried.status).toBe(200);
      // The refused attempt may have reached the lifecycle after all; then the retry is its duplicate.
      expect(['created', 'duplicate']).toContain(retried.body.results[0].status);
    }
    const retriedBatch = await deliverHonouringRetryAfter(integration.http, batch);
    expect(retriedBatch.status).toBe(200);
    for (const result of retriedBatch.body.results) expect(['created', 'duplicate']).toContain(result.status);

    // Delivered once more, each is a duplicate: nothing is stored twice.
    const again = await deliverHonouringRetryAfter(integration.http, [first, second, ...batch]);
    expect(again.body.results.map((result: { status: string }) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    for (const record of [first, second, ...batch]) {
      expect(await storedCopies(record.ContactId as string)).toEqual({ rows: 1, capturedAudits: 1 });
    }
  });

  it('audits the refused request as a failure naming the saturation', async () => {
    const integration = harness.as(await harness.tokenFor('integration'));
    await harness.stopWorker();
    const answer = await integration.http('POST', '/v1/contact-records', contactRecord());
    await harness.startWorker();
    expect(answer.status).toBe(503);
    const requestId = answer.headers.get('x-request-id')!;
    const entries = await harness.db.select().from(auditLog).where(and(eq(auditLog.correlationId, requestId), eq(auditLog.activity, 'CONTACT_RECORDS_IMPORT')));
    expect(entries.map((entry) => entry.result)).toContain('FAIL');
    expect(JSON.stringify(entries.map((entry) => entry.details))).toContain('Capture saturated');
  });
});
