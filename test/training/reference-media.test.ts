import { afterAll, describe, expect, it } from 'vitest';
import { entriesOf } from '../support/audit-entries.js';
import { emailMessage, postEml } from '../support/content-fixtures.js';
import { createHarness, type HttpAnswer } from '../support/harness.js';
import { uniqueId } from '../support/lifecycle.js';
import { assignCoaching, createActivePack, samplePackDefinition, uploadMaterial } from '../support/training.js';

/**
 * A trainee plays the pack's reference conversation through the media API because the assignment grants
 * it, not because of a wider role: another agent is refused, and so is the trainee once it is cancelled.
 */
const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const audited = async (answer: HttpAnswer) => (await entriesOf(harness.db, answer)).map((entry) => ({ activity: entry.activity, result: entry.result, conversationId: entry.conversationId }));

describe('reference conversation and presentation of a training', () => {
  it('the trainee plays the reference media (ACCESS_MEDIA) and fetches the slides; others without the assignment cannot', async () => {
    const eml = emailMessage({ from: { address: 'model@example.test' }, to: ['desk@example.test'], subject: 'A model conversation', body: `Exemplary handling ${uniqueId('ref')}` });
    const captured = await postEml(harness, eml);
    expect(captured.status, JSON.stringify(captured.body)).toBe(201);
    const conversationId = captured.body.conversationId as string;
    const sha256 = captured.body.media[0].sha256 as string;

    const manager = await harness.identityFor('cc-manager');
    const slides = await uploadMaterial(harness, manager, `slides ${uniqueId('deck')}`, 'slides.pdf', 'application/pdf');
    const pack = await createActivePack(harness, manager, { definition: samplePackDefinition({ referenceConversationId: conversationId, presentation: [slides] }) });
    const trainee = await harness.identityFor('agent', { groupNames: [uniqueId('desk')] });
    const other = await harness.identityFor('agent', { groupNames: [uniqueId('desk')] });
    const given = await assignCoaching(harness, manager, { packId: pack.id, userIds: [trainee.userId] });
    const assignmentId = given.assigned[0].id as string;
    expect(given.assigned[0].referenceConversationId).toBe(conversationId);

    const view = await harness.as(trainee.token).http('GET', `/v1/training-assignments/${assignmentId}`);
    expect(view.body).toMatchObject({ referenceConversationId: conversationId, presentation: [slides] });

    const played = await harness.as(trainee.token).http('GET', `/v1/conversations/${conversationId}/media/${sha256}`);
    expect(played.status).toBe(200);
    expect(played.body).toContain('Exemplary handling');
    expect(await audited(played)).toEqual([{ activity: 'ACCESS_MEDIA', result: 'OK', conversationId }]);

    const refused = await harness.as(other.token).http('GET', `/v1/conversations/${conversationId}/media/${sha256}`);
    expect(refused.status).toBe(404);
    expect(await audited(refused)).toEqual([{ activity: 'ACCESS_MEDIA', result: 'UNAUTHORIZED', conversationId }]);

    const material = await harness.as(trainee.token).http('GET', `/v1/training-materials/${slides.sha256}`);
    expect(material.status).toBe(200);
    expect(material.body).toContain('slides');
    expect(material.headers.get('x-content-sha256')).toBe(slides.sha256);
    expect((await harness.as(other.token).http('GET', `/v1/training-materials/${slides.sha256}`)).status).toBe(404);

    // The grant ends with the assignment.
    await harness.as(manager.token).http('POST', `/v1/training-assignments/${assignmentId}/cancel`, { reason: 'Assigned by mistake' });
    expect((await harness.as(trainee.token).http('GET', `/v1/conversations/${conversationId}/media/${sha256}`)).status).toBe(404);
    expect((await harness.as(trainee.token).http('GET', `/v1/training-materials/${slides.sha256}`)).status).toBe(404);
  });
});
