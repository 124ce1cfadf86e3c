import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_PERMISSIONS } from '../../src/api/permissions.js';
import { ROLES, isScoped, type Role } from '../../src/domain/roles.js';
import { auditTrailOf } from '../support/audit-entries.js';
import { chatContactRecord } from '../support/chat-shapes.js';
import { chatTranscript } from '../support/content-fixtures.js';
import { createHarness } from '../support/harness.js';

/**
 * The media routes for every role: agents list and download their own conversations' media only,
 * supervisors their groups', the others as the permission table says. Media of a conversation outside the
 * caller's scope answers 404 exactly like media that does not exist, and the refusal is audited UNAUTHORIZED.
 */
const harness = await createHarness();
afterAll(async () => {
  await harness?.close();
});

const LIST = 'GET /v1/conversations/{conversationId}/media';
const DOWNLOAD = 'GET /v1/conversations/{conversationId}/media/{sha256}';

const suffix = randomUUID().slice(0, 8);
const desk = `media-desk-${suffix}`;
const alice = await harness.identityFor('agent', { username: `alice-media-${suffix}`, groupNames: [desk] });
const bob = await harness.identityFor('agent', { username: `bob-media-${suffix}`, groupNames: [`media-other-${suffix}`] });

/** A chat handled by this agent, with its transcript kept as media. */
async function chatOf(agentUsername: string): Promise<{ conversationId: string; sha256: string }> {
  const contactId = randomUUID();
  const at = new Date().toISOString();
  const record = await harness.http('POST', '/v1/contact-records', { ...chatContactRecord({ contactId, at }), Agent: { Username: agentUsername, ConnectedToAgentTimestamp: at } });
  expect(record.status, JSON.stringify(record.body)).toBe(200);
  const chat = await harness.http('POST', '/v1/chats', chatTranscript({ contactId, customerName: 'Media Customer', agentName: agentUsername, messages: [{ from: 'CUSTOMER', text: 'hello', at }] }));
  expect(chat.status, JSON.stringify(chat.body)).toBeLessThan(300);
  const conversationId: string = chat.body.conversationId;
  expect(conversationId).toBe(record.body.results[0].conversationId);
  const listed = await harness.http('GET', `/v1/conversations/${conversationId}/media`);
  const sha256: string = listed.body.items[0].sha256;
  return { conversationId, sha256 };
}

const aliceChat = await chatOf(alice.username);
const bobChat = await chatOf(bob.username);

/** Who calls, and whose chats they must see (by the permission table for the unscoped roles). */
const callers: { name: string; token: string; roles: Role[]; sees: { alice: boolean; bob: boolean } }[] = [
  { name: 'agent (alice)', token: alice.token, roles: ['agent'], sees: { alice: true, bob: false } },
  { name: 'supervisor of alice’s group', token: await harness.tokenFor('supervisor', { supervisedGroups: [desk] }), roles: ['supervisor'], sees: { alice: true, bob: false } },
  { name: 'supervisor of no group here', token: await harness.tokenFor('supervisor', { supervisedGroups: [`media-none-${suffix}`] }), roles: ['supervisor'], sees: { alice: false, bob: false } },
  { name: 'agent and supervisor of alice’s group', token: await harness.tokenFor(['agent', 'supervisor'], { supervisedGroups: [desk] }), roles: ['agent', 'supervisor'], sees: { alice: true, bob: false } },
  ...(await Promise.all(
    ROLES.filter((role) => !isScoped([role])).map(async (role) => ({ name: role, token: await harness.tokenFor(role), roles: [role], sees: { alice: true, bob: true } })),
  )),
];

const allowedBy = (key: string, roles: readonly Role[]) => {
  const rule = ROUTE_PERMISSIONS[key]!;
  return rule.roles === 'public' || roles.some((role) => (rule.roles as readonly Role[]).includes(role));
};

describe.each(callers)('media routes as $name', ({ token, roles, sees }) => {
  const caller = harness.as(token);

  it.each([
    ['alice', aliceChat],
    ['bob', bobChat],
  ] as const)('lists and downloads %s’s chat transcript only if in scope; otherwise 404, audited UNAUTHORIZED', async (owner, chat) => {
    const listed = await caller.http('GET', `/v1/conversations/${chat.conversationId}/media`);
    const downloaded = await caller.http('GET', `/v1/conversations/${chat.conversationId}/media/${chat.sha256}`);
    if (!allowedBy(LIST, roles)) {
      expect(listed.status).toBe(403);
      expect(allowedBy(DOWNLOAD, roles)).toBe(false);
      expect(downloaded.status).toBe(403);
      return;
    }
    if (sees[owner]) {
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect(listed.body.items.map((item: { sha256: string }) => item.sha256)).toEqual([chat.sha256]);
      expect(downloaded.status).toBe(200);
      expect(await auditTrailOf(harness.db, downloaded.headers.get('x-request-id'))).toEqual(['ACCESS_MEDIA:SYNC:OK']);
      return;
    }
    expect(listed.status).toBe(404);
    expect(downloaded.status).toBe(404);
    // Existence does not leak: hidden media is answered like media of a conversation that does not exist.
    const missing = await caller.http('GET', `/v1/conversations/${randomUUID()}/media/${chat.sha256}`);
    const shape = (body: Record<string, unknown>) => ({ ...body, detail: undefined, requestId: undefined });
    expect(shape(downloaded.body)).toEqual(shape(missing.body));
    expect(await auditTrailOf(harness.db, listed.headers.get('x-request-id'))).toEqual(['CONVERSATION_BY_ID:BEGIN:null', 'CONVERSATION_BY_ID:END:UNAUTHORIZED']);
    expect(await auditTrailOf(harness.db, downloaded.headers.get('x-request-id'))).toEqual(['ACCESS_MEDIA:SYNC:UNAUTHORIZED']);
  });
});

describe('media named under the wrong conversation', () => {
  it('is not served: alice cannot fetch bob’s transcript through her own conversation', async () => {
    const answer = await harness.as(alice.token).http('GET', `/v1/conversations/${aliceChat.conversationId}/media/${bobChat.sha256}`);
    expect(answer.status).toBe(404);
    expect(await auditTrailOf(harness.db, answer.headers.get('x-request-id'))).toEqual(['ACCESS_MEDIA:SYNC:FAIL']);
  });
});
