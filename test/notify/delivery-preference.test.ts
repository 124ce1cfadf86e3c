import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryShapes, entriesOf } from '../support/audit-entries.js';
import { createHarness, type Harness } from '../support/harness.js';

/** Each user chooses immediate mails or a daily digest; admins set it for anyone, everyone for themselves. */
let harness: Harness;
beforeAll(async () => {
  harness = await createHarness();
});
afterAll(async () => {
  await harness?.close();
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('notification delivery preference', () => {
  it('is immediate unless chosen; an admin sets it at creation or later, audited as EDIT_USER', async () => {
    const plain = await harness.http('POST', '/v1/users', { username: unique('plain'), fullName: 'Plain', roles: ['evaluator'] });
    expect(plain.status, JSON.stringify(plain.body)).toBe(201);
    expect(plain.body.notificationDelivery).toBe('immediate');
    const digest = await harness.http('POST', '/v1/users', { username: unique('digest'), fullName: 'Digest', roles: ['evaluator'], notificationDelivery: 'daily-digest' });
    expect(digest.body.notificationDelivery).toBe('daily-digest');

    const changed = await harness.http('PUT', `/v1/users/${plain.body.id}/notification-delivery`, { notificationDelivery: 'daily-digest' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ id: plain.body.id, notificationDelivery: 'daily-digest' });
    expect(await entryShapes(harness.db, changed)).toEqual(['EDIT_USER:SYNC:OK']);
    const [entry] = await entriesOf(harness.db, changed);
    expect(entry!.details).toMatchObject({ userId: plain.body.id, notificationDelivery: 'daily-digest', changed: true, previous: 'immediate' });

    expect((await harness.http('PUT', `/v1/users/${plain.body.id}/notification-delivery`, { notificationDelivery: 'weekly' })).status).toBe(422);
    expect((await harness.http('POST', '/v1/users', { username: unique('bad'), fullName: 'Bad', roles: ['evaluator'], notificationDelivery: 'hourly' })).status).toBe(422);
    expect((await harness.http('PUT', `/v1/users/${randomUUID()}/notification-delivery`, { notificationDelivery: 'immediate' })).status).toBe(404);
  });

  it('every user may choose their own, but not anyone else\'s', async () => {
    const me = await harness.identityFor('evaluator');
    const other = await harness.identityFor('evaluator');
    const own = await harness.as(me.token).http('PUT', '/v1/me/notification-delivery', { notificationDelivery: 'daily-digest' });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toMatchObject({ id: me.userId, notificationDelivery: 'daily-digest' });
    const back = await harness.as(me.token).http('PUT', '/v1/me/notification-delivery', { notificationDelivery: 'immediate' });
    expect(back.body.notificationDelivery).toBe('immediate');
    expect((await harness.as(me.token).http('PUT', `/v1/users/${other.userId}/notification-delivery`, { notificationDelivery: 'daily-digest' })).status).toBe(403);
  });
});
