import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, disposalLedger } from '../../src/db/schema/index.js';
import { sha256Hex } from '../../src/lib/digest.js';
import { conversationWorkflowId, lifecycleStateQuery } from '../../src/workflows/conversation-lifecycle.contract.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { download, searchIds, uniqueWord } from '../support/content-fixtures.js';
import { createHarness } from '../support/harness.js';
import { ensureTags, eventually, uniqueId } from '../support/lifecycle.js';
import { NEEDS_COACHING_ANSWERS, createReview, insertQuestionnaire } from '../support/reviews.js';

const harness = await createHarness();
const deleteTasks: string[] = [];
afterAll(async () => {
  for (const taskId of deleteTasks) await harness.http('DELETE', `/v1/delete-tasks/${taskId}`);
  await harness.close();
});

/** Minutes of a meeting between one client and one adviser; every name and address is unique to the test. */
function minutes(overrides: Record<string, unknown> = {}) {
  const clientName = uniqueWord('Client');
  return {
    meetingId: uniqueId('meeting'),
    channel: 'IN_PERSON',
    occurredAt: '2026-11-23T09:30:00.000Z',
    endedAt: '2026-11-23T10:15:00.000Z',
    location: `Branch office ${uniqueWord('street')}`,
    attendees: [
      { name: clientName, role: 'client', email: `${uniqueWord('client')}@example.com`, clientId: uniqueId('client') },
      { name: 'Adviser Ada', role: 'staff', username: uniqueId('adviser') },
    ],
    initiator: clientName,
    orderInformation: `Client asked to buy 500 ${uniqueWord('ISIN')} at limit 101.5; order not placed`,
    notes: 'Discussed risk appetite; client will confirm by phone.',
    ...overrides,
  };
}

const postMinutes = (body: unknown) => harness.http('POST', '/v1/meetings', body);

describe('face-to-face meeting minutes (Art. 76(9))', () => {
  it('records a meeting as a MEETING conversation whose minutes are kept unaltered, and keeps them out of the workflow history', async () => {
    const note = Buffer.from('signed meeting note');
    const body = minutes({ attachments: [{ fileName: 'signed-note.pdf', contentType: 'application/pdf', contentBase64: note.toString('base64') }] });
    const client = body.attendees[0]!;

    const posted = await postMinutes(body);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body).toMatchObject({ meetingId: body.meetingId, status: 'created' });
    const { conversationId } = posted.body;
    expect(posted.body.media).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'original', fileName: 'minutes.json', contentType: 'application/json' }),
        expect.objectContaining({ kind: 'attachment', fileName: 'signed-note.pdf', sha256: sha256Hex(note) }),
      ]),
    );

    const read = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(read.body).toMatchObject({
      channel: 'MEETING',
      startedAt: '2026-11-23T09:30:00.000Z',
      endedAt: '2026-11-23T10:15:00.000Z',
      customerAddress: client.email,
      agentUsername: body.attendees[1]!.username,
      attributes: { meetingChannel: 'IN_PERSON', clientId: client.clientId },
    });
    const document = posted.body.media.find((m: { kind: string }) => m.kind === 'original');
    const stored = JSON.parse((await download(harness, conversationId, document.sha256)).bytes.toString('utf8'));
    expect(stored).toMatchObject({ location: body.location, initiator: client.name, orderInformation: body.orderInformation, notes: body.notes, attendees: body.attendees });
    expect(stored.attachments).toEqual([{ fileName: 'signed-note.pdf', contentType: 'application/pdf', sha256: sha256Hex(note), sizeBytes: note.byteLength }]);
    expect(await searchIds(harness, { channel: 'MEETING', 'attr.clientId': client.clientId! })).toEqual([conversationId]);

    const state = await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).query(lifecycleStateQuery);
    expect(state).toMatchObject({ stage: 'captured', steps: [expect.objectContaining({ step: 'minutes-created' })] });
    const history = JSON.stringify(await harness.client.workflow.getHandle(conversationWorkflowId(conversationId)).fetchHistory());
    for (const personal of [client.name, client.email, body.location, 'Adviser Ada']) expect(history).not.toContain(personal);
    expect(await auditTrailOf(harness.db, posted.headers.get('x-request-id'))).toEqual(['MEETING_MINUTES_IMPORT:BEGIN:null', 'CONVERSATION_CAPTURED:SYNC:OK', 'MEETING_MINUTES_IMPORT:END:OK']);
  });

  it('answers the same minutes again as a duplicate, and keeps a correction beside the version it corrects', async () => {
    const body = minutes();
    const first = await postMinutes(body);
    expect(first.status).toBe(201);
    const again = await postMinutes(body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', conversationId: first.body.conversationId });

    const corrected = await postMinutes({ ...body, orderInformation: `${body.orderInformation} (corrected: limit 101.0)` });
    expect(corrected.body).toMatchObject({ status: 'updated', conversationId: first.body.conversationId });
    const versions = corrected.body.media.filter((m: { kind: string }) => m.kind === 'original');
    expect(versions).toHaveLength(2);
    const [change] = await harness.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.conversationId, first.body.conversationId), eq(auditLog.activity, 'CONVERSATION_EVENT_METADATA_CHANGE'), eq(auditLog.phase, 'END')));
    const original = first.body.media.find((m: { kind: string }) => m.kind === 'original').sha256;
    expect(change?.details).toMatchObject({ earlierVersions: [original] });
    // What the minutes said before the correction can still be read.
    expect((await download(harness, first.body.conversationId, original)).status).toBe(200);
  });

  it('refuses minutes without a client attendee or with an unknown initiator, naming the field, and audits the refusal', async () => {
    const body = minutes();
    const noClient = await postMinutes({ ...body, attendees: [body.attendees[1], { name: 'Second adviser', role: 'staff' }], initiator: 'Second adviser' });
    expect(noClient.status).toBe(422);
    expect(noClient.body.errors).toEqual([expect.objectContaining({ field: 'attendees' })]);
    const strangerInitiator = await postMinutes({ ...body, initiator: 'Someone else' });
    expect(strangerInitiator.status).toBe(422);
    expect(strangerInitiator.body.errors).toEqual([expect.objectContaining({ field: 'initiator' })]);
    expect(await auditTrailOf(harness.db, noClient.headers.get('x-request-id'))).toEqual(['MEETING_MINUTES_IMPORT:BEGIN:null', 'MEETING_MINUTES_IMPORT:END:FAIL']);
  });

  it('tags and reviews meeting minutes like any other conversation', async () => {
    const tag = uniqueWord('MEETING_TAG');
    await ensureTags(harness, [{ name: tag }]);
    const evaluatorGroup = uniqueId('evaluators');
    const evaluator = await harness.identityFor('evaluator', { groupNames: [evaluatorGroup] });
    const manager = await harness.identityFor('cc-manager');
    const questionnaire = await insertQuestionnaire(harness.db, { evaluatorGroups: [evaluatorGroup] });
    const posted = await postMinutes(minutes());
    const { conversationId } = posted.body;

    const tagged = await harness.http('POST', `/v1/conversations/${conversationId}/tags`, { name: tag });
    expect(tagged.status, JSON.stringify(tagged.body)).toBeLessThan(300);
    expect(await searchIds(harness, { tag })).toEqual([conversationId]);

    const review = await createReview(harness, manager, { conversationId, questionnaireId: questionnaire.id, evaluatorId: evaluator.userId });
    const completed = await harness.as(evaluator.token).http('POST', `/v1/reviews/${review.id}/complete`, { answers: NEEDS_COACHING_ANSWERS });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect(completed.body).toMatchObject({ conversation: { id: conversationId }, status: 'completed' });
  });

  it('deletes meeting minutes with their media when the retention window elapses', async () => {
    const scope = uniqueId('minutes-retention');
    const note = Buffer.from(`attached note ${scope}`);
    const body = minutes({ attributes: { retentionScope: scope }, attachments: [{ fileName: 'note.txt', contentType: 'text/plain', contentBase64: note.toString('base64') }] });
    const posted = await postMinutes(body);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const { conversationId } = posted.body;
    const files = (posted.body.media as { sha256: string }[]).map((m) => m.sha256);

    const task = await harness.http('POST', '/v1/delete-tasks', { name: `minutes ${scope}`, selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 1 });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    deleteTasks.push(task.body.id);
    await eventually(async () => ((await harness.http('GET', `/v1/conversations/${conversationId}/retention`)).body.status === 'deleted' ? true : undefined), 60_000);

    const tombstone = await harness.http('GET', `/v1/conversations/${conversationId}`);
    expect(tombstone.body).toMatchObject({ lifecycleState: 'deleted', customerAddress: null, agentUsername: null, attributes: {} });
    const [ledger] = await harness.db.select().from(disposalLedger).where(eq(disposalLedger.conversationId, conversationId));
    expect(ledger).toMatchObject({ kind: 'deletion', deleteTaskId: task.body.id });
    await eventually(async () => (files.every((sha256) => !fs.existsSync(harness.media.pathOf(sha256))) ? true : undefined), 60_000);
    // Deletion is final: the same minutes cannot bring the meeting back, nor leave their files in the store again.
    expect((await postMinutes(body)).status).toBe(410);
    for (const sha256 of files) expect(fs.existsSync(harness.media.pathOf(sha256)), sha256).toBe(false);
  });
});
