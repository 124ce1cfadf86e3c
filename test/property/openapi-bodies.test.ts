import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../src/api/permissions.js';
import type { Role } from '../../src/domain/roles.js';
import { chatTranscript, emailMessage } from '../support/content-fixtures.js';
import { contactRecord } from '../support/contact-records.js';
import type { Harness, HttpAnswer, HttpCall } from '../support/harness.js';
import { operationsOf, sampleOf, samplePath, type OpenApiDocument, type Operation } from '../support/openapi-samples.js';
import { changedTables, createHarnessWithOwnDatabase, settledSnapshot, snapshotDatabase } from './database-snapshot.js';
import { mutate, mutations } from './json-mutations.js';
import { fc, runsOf } from './support.js';

/**
 * Every operation of the served OpenAPI document that takes a JSON body, sent generated variations of a
 * valid body by a caller the permission table allows: never a 5xx, and a refused request leaves every table
 * (its own audit entries aside) exactly as it was, answering problem+json that names the field at fault.
 */
let harness: Harness;
let spec: OpenApiDocument;
let bodyOperations: Operation[];
/** Path parameters that name objects which exist, so requests get past "not found" to the body. */
const existing: Record<string, string> = {};
const callers = new Map<Role, HttpCall>();

beforeAll(async () => {
  harness = await createHarnessWithOwnDatabase('property');
  spec = (await harness.as(null).http('GET', '/openapi.json')).body as OpenApiDocument;
  bodyOperations = operationsOf(spec).filter((operation) => operation.bodySchema && ['POST', 'PUT', 'PATCH'].includes(operation.method));
  const captured = await harness.http('POST', '/v1/contact-records', contactRecord());
  existing.conversationId = captured.body.results[0].conversationId;
  existing.userId = (await harness.identityFor('agent')).userId;
  // A call of this file's own: a call's workflow id derives from its id, and Temporal is shared by every
  // test file, so the sample id would reach a lifecycle another file started on its own task queue.
  existing.callId = `property-${randomUUID()}`;
  expect((await harness.http('POST', '/v1/tag-definitions', { name: PROPERTY_TAG, description: 'Tag for generated requests' })).status).toBe(201);
});
afterAll(async () => {
  await harness?.close();
});

async function callerFor(operation: Operation): Promise<HttpCall> {
  const rule = ROUTE_PERMISSIONS[operation.key];
  const roles = rule && rule.roles !== 'public' ? rule.roles : (['admin'] as const);
  const role: Role = roles.includes('admin') ? 'admin' : roles[0]!;
  if (!callers.has(role)) callers.set(role, harness.as(await harness.tokenFor(role)).http);
  return callers.get(role)!;
}

const PROPERTY_TAG = 'PROPERTY_TAG';
const message = { from: 'CUSTOMER' as const, text: 'I would like to sell my bonds', at: '2026-11-20T10:00:00Z' };

/** Bodies that pass validation where a generated sample would not (or would collide between calls), so mutations start from valid. */
const VALID_BODIES: Record<string, (run: number) => unknown> = {
  'POST /v1/contact-records': () => contactRecord(),
  'POST /v1/users': (run) => ({ username: `property-${run}-${Math.random().toString(36).slice(2, 8)}`, fullName: 'Property User', roles: ['agent'] }),
  'POST /v1/chats': () => chatTranscript({ customerName: 'Jo', agentName: 'Sam', messages: [message] }),
  'POST /v1/emails': () => ({ eml: Buffer.from(emailMessage({ from: { address: 'client@example.com' }, to: ['desk@example.com'], subject: 'Order', body: message.text })).toString('base64') }),
  'POST /v1/conversations/{conversationId}/tags': () => ({ name: PROPERTY_TAG, value: null }),
  'POST /v1/conversations/{conversationId}/retention-extensions': () => ({ until: '2036-01-01T00:00:00Z', reason: 'Regulator request' }),
  'POST /v1/recording-rules': (run) => ({ name: `Property rule ${run}`, position: run, match: { type: 'phone', pattern: '2178' }, action: 'record' }),
};

function validBody(operation: Operation, run: number): unknown {
  return VALID_BODIES[operation.key]?.(run) ?? sampleOf(spec, operation.bodySchema);
}

function expectProblemNamingField(answer: HttpAnswer, context: string) {
  expect(answer.headers.get('content-type'), context).toContain('application/problem+json');
  if (answer.status !== 422 || !Array.isArray(answer.body?.errors)) return;
  expect(answer.body.errors.length, context).toBeGreaterThan(0);
  for (const error of answer.body.errors) expect(typeof error.field, context).toBe('string');
}

describe('generated JSON bodies for every operation that takes one', () => {
  // The operations are known only once the app serves its document; one test walks them all in order.
  it('never answer 5xx, and a refused body writes nothing', { timeout: 30 * 60_000 }, async () => {
    const statuses: Record<string, Record<number, number>> = {};
    let run = 0;
    // Callers first: making their users and tokens is a write of its own.
    const callerOf = new Map<string, HttpCall>();
    for (const operation of bodyOperations) callerOf.set(operation.key, await callerFor(operation));
    await settledSnapshot(harness.db);
    for (const operation of bodyOperations) {
      const http = callerOf.get(operation.key)!;
      const path = samplePath(spec, operation, existing);
      statuses[operation.key] = {};
      await fc.assert(
        fc.asyncProperty(mutations, async (changes) => {
          run += 1;
          const body = mutate(validBody(operation, run), changes);
          // Taken right before the request, so that nothing written earlier is blamed on it.
          const before = await snapshotDatabase(harness.db);
          const answer = await http(operation.method, path, body === undefined ? 'null' : JSON.stringify(body), { 'content-type': 'application/json' }).catch((error: unknown) => {
            throw new Error(`${operation.key} ${JSON.stringify(body)?.slice(0, 300)}: no answer`, { cause: error });
          });
          const context = `${operation.key} ${JSON.stringify(body)?.slice(0, 500)} → ${answer.status} ${JSON.stringify(answer.body)?.slice(0, 500)}`;
          statuses[operation.key]![answer.status] = (statuses[operation.key]![answer.status] ?? 0) + 1;
          expect(answer.status, context).toBeLessThan(500);
          if (answer.status >= 400) {
            expectProblemNamingField(answer, context);
            expect(changedTables(before, await snapshotDatabase(harness.db)), context).toEqual([]);
          } else {
            // An accepted request may go on writing through its workflow: wait for it before the next one.
            await settledSnapshot(harness.db);
          }
        }),
        { numRuns: runsOf(0.08, 3) },
      );
    }
    console.log(`generated bodies per operation and status: ${JSON.stringify(statuses)}`);
  });
});
