import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../src/api/permissions.js';
import { OBJECT_KIND_NAMES, objectParameter, type ObjectKind } from '../../src/api/middleware/auth/object-scope.js';
import { callConversationId } from '../../src/api/calls/call-id.js';
import { activityDefinition } from '../../src/domain/audit-catalogue.js';
import { eq } from 'drizzle-orm';
import { reviewDisputes, reviewEvents, reviews, trainingAssignments, trainingAttempts, trainingEvents } from '../../src/db/schema/index.js';
import { isScoped, type Role } from '../../src/domain/roles.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { auditEntriesOf } from '../support/audit-entries.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness } from '../support/harness.js';
import { callEvents, ensureTags, uniqueId } from '../support/lifecycle.js';
import { operationsOf, sampleOf, samplePath, type OpenApiDocument, type Operation } from '../support/openapi-samples.js';
import { createReview, insertQuestionnaire } from '../support/reviews.js';
import { insertTrainingAssignment } from '../support/training.js';

/**
 * Every operation whose path names an object, called by every role narrowed for that kind of object that
 * the permission table lets in, on an object outside that caller's scope: the answer is 404 as if the object did not exist, the
 * refusal is audited UNAUTHORIZED on the object's conversation, and nothing about the object changes.
 */
const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const spec = (await harness.as(null).http('GET', '/openapi.json')).body as OpenApiDocument;
const operations = operationsOf(spec);

const objectKindOf = (operation: Operation): ObjectKind | undefined =>
  OBJECT_KIND_NAMES.find((kind) => operation.parameters.some((parameter) => parameter.in === 'path' && parameter.name === objectParameter(kind)));
const objectOperations = operations.filter((operation) => objectKindOf(operation) !== undefined);

// Someone else's conversation and live call: an agent in a group that nobody in this test supervises.
const TAG = 'SCOPE_MATRIX_TAG';
await ensureTags(harness, [{ name: TAG }]);
const outsider = await harness.identityFor('agent', { groupNames: [uniqueId('outside-desk')] });
const captured = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: outsider.username } }));
const conversationId: string = captured.body.results[0].conversationId;
await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: TAG });
const callId = uniqueId('scope-call');
const started = await harness.http('POST', `/v1/calls/${callId}/events`, callEvents(callId)('started', { customer: '+441999', agent: outsider.username, direction: 'inbound' }));
expect(started.status).toBe(200);
await harness.http('POST', `/v1/calls/${callId}/tags`, { name: TAG });

// A review of another of the outsider's conversations (its steps reach that conversation's lifecycle in the
// background, so it must not be the one snapshotted above), assigned to an evaluator who is none of the callers below.
const reviewed = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: outsider.username } }));
const reviewedConversationId: string = reviewed.body.results[0].conversationId;
const questionnaire = await insertQuestionnaire(harness.db);
const reviewer = await harness.identityFor('evaluator');
const review = await createReview(harness, await harness.identityFor('cc-manager'), { conversationId: reviewedConversationId, questionnaireId: questionnaire.id, evaluatorId: reviewer.userId });

// A training follow-up of that review, given to the outsider.
const assignmentId = await insertTrainingAssignment(harness.db, { assignee: outsider, reviewId: review.id, conversationId: reviewedConversationId });

const objectIds: Record<ObjectKind, Record<string, string>> = {
  conversation: { conversationId, name: TAG },
  call: { callId, name: TAG },
  review: { reviewId: review.id },
  trainingAssignment: { assignmentId },
};
const conversationOf: Record<ObjectKind, string> = {
  conversation: conversationId,
  call: callConversationId(callId),
  review: reviewedConversationId,
  trainingAssignment: reviewedConversationId,
};

const scopedCallers: Record<string, { roles: Role[]; token: string }> = {
  agent: { roles: ['agent'], token: await harness.tokenFor('agent', { groupNames: [uniqueId('own-desk')] }) },
  supervisor: { roles: ['supervisor'], token: await harness.tokenFor('supervisor', { supervisedGroups: [uniqueId('other-desk')] }) },
  'agent+supervisor': { roles: ['agent', 'supervisor'], token: await harness.tokenFor(['agent', 'supervisor'], { supervisedGroups: [uniqueId('other-desk')] }) },
  evaluator: { roles: ['evaluator'], token: await harness.tokenFor('evaluator') },
};

/**
 * Who is narrowed for each kind of object: for conversations and calls the scoped roles (agents,
 * supervisors); reviews narrow evaluators too, to the reviews assigned to them, and training assignments
 * narrow everyone but their overseers to their own (and a supervisor's groups').
 */
const scopedFor = (kind: ObjectKind): string[] =>
  kind === 'review' || kind === 'trainingAssignment' ? ['agent', 'supervisor', 'agent+supervisor', 'evaluator'] : Object.keys(scopedCallers).filter((name) => isScoped(scopedCallers[name]!.roles));

/** What an admin sees of the object: its lifecycle's whole state, so any change a refused call made shows. */
async function snapshot(kind: ObjectKind) {
  if (kind === 'trainingAssignment') {
    const [row] = await harness.db.select().from(trainingAssignments).where(eq(trainingAssignments.id, assignmentId));
    const steps = await harness.db.select().from(trainingEvents).where(eq(trainingEvents.assignmentId, assignmentId));
    const attempts = await harness.db.select().from(trainingAttempts).where(eq(trainingAttempts.assignmentId, assignmentId));
    return { row, steps, attempts };
  }
  if (kind === 'review') {
    const [row] = await harness.db.select().from(reviews).where(eq(reviews.id, review.id));
    const steps = await harness.db.select().from(reviewEvents).where(eq(reviewEvents.reviewId, review.id));
    const disputes = await harness.db.select().from(reviewDisputes).where(eq(reviewDisputes.reviewId, review.id));
    return { row, steps, disputes };
  }
  const state = await harness.client.workflow.getHandle(conversationWorkflowId(conversationOf[kind])).query(lifecycleStateQuery);
  const read = await harness.http('GET', `/v1/conversations/${conversationOf[kind]}`);
  return { state, read: read.body };
}

describe('object scope', () => {
  it('is declared for every operation whose path names an object, and only there', () => {
    for (const operation of operations) {
      const rule = ROUTE_PERMISSIONS[operation.key];
      if (!rule || rule.roles === 'public') continue;
      expect(rule.scope, operation.key).toBe(objectKindOf(operation) ?? 'none');
    }
  });

  it('has object operations to try', () => {
    expect(objectOperations.length).toBeGreaterThanOrEqual(10);
  });
});

const cases = objectOperations.flatMap((operation) => {
  const rule = ROUTE_PERMISSIONS[operation.key]!;
  if (rule.roles === 'public') return [];
  return scopedFor(objectKindOf(operation)!)
    .filter((name) => scopedCallers[name]!.roles.some((role) => (rule.roles as readonly Role[]).includes(role)))
    .map((name) => [operation.key, name, operation] as const);
});

describe.each(cases)('%s as %s, on an object outside the scope', (key, callerName, operation) => {
  it('answers 404, audits UNAUTHORIZED, changes nothing', async () => {
    const kind = objectKindOf(operation)!;
    const rule = ROUTE_PERMISSIONS[key]!;
    const before = await snapshot(kind);
    const body = operation.bodySchema ? sampleOf(spec, operation.bodySchema) : undefined;
    const answer = await harness.http(operation.method, samplePath(spec, operation, objectIds[kind]), body, {
      authorization: `Bearer ${scopedCallers[callerName]!.token}`,
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.title).toMatch(/not found/i);

    const entries = await auditEntriesOf(harness.db, answer.headers.get('x-request-id')!);
    const activity = rule.roles === 'public' ? '' : rule.activity;
    const phases = activityDefinition(activity).kind === 'sync' ? ['SYNC'] : ['BEGIN', 'END'];
    expect(entries.map((entry) => entry.phase)).toEqual(phases);
    expect(entries.at(-1)).toMatchObject({ activity, result: 'UNAUTHORIZED', conversationId: conversationOf[kind] });

    expect(await snapshot(kind)).toEqual(before);
  });
});

describe('inside the scope', () => {
  it('the agent on the call reads and tags it; the agent it was handed to as well', async () => {
    const own = await harness.identityFor('agent');
    const colleague = await harness.identityFor('agent');
    const ownCall = uniqueId('own-call');
    const event = callEvents(ownCall);
    await harness.http('POST', `/v1/calls/${ownCall}/events`, event('started', { customer: '+441998', agent: own.username, direction: 'inbound' }));
    const read = await harness.as(own.token).http('GET', `/v1/calls/${ownCall}`);
    expect(read.status).toBe(200);
    // No recording rule records this call, so the handler answers with the seed's "no active call": it was let in.
    const tagged = await harness.as(own.token).http('POST', `/v1/calls/${ownCall}/tags`, { name: TAG });
    expect(tagged.body.title, JSON.stringify(tagged.body)).toBe('NoActiveCall');
    expect((await harness.as(colleague.token).http('GET', `/v1/calls/${ownCall}`)).status).toBe(404);

    await harness.http('POST', `/v1/calls/${ownCall}/events`, event('transferred', { to: colleague.username }));
    expect((await harness.as(colleague.token).http('GET', `/v1/calls/${ownCall}`)).status).toBe(200);
  });

  it('a supervisor tags the conversation of an agent in a group they supervise', async () => {
    const desk = uniqueId('desk');
    const agent = await harness.identityFor('agent', { groupNames: [desk] });
    const supervisor = await harness.tokenFor('supervisor', { supervisedGroups: [desk] });
    const posted = await harness.http('POST', '/v1/contact-records', contactRecord({ Agent: { Username: agent.username } }));
    const id: string = posted.body.results[0].conversationId;
    expect((await harness.as(supervisor).http('POST', `/v1/conversations/${id}/tags`, { name: TAG })).status).toBe(200);
  });
});
