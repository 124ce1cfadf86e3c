import { expect } from 'vitest';
import { uniqueId } from '../support/lifecycle.js';
import { deletedEventually, lifecycleOf, type Scenario } from './scenario.js';

/** Meeting minutes: captured, corrected, recorded again unchanged, then deleted by retention. */
export const MINUTES_SCENARIOS: Record<string, Scenario> = {
  async 'meeting-minutes-captured-corrected-deleted'(harness) {
    const scope = uniqueId('replay-minutes');
    const task = await harness.http('POST', '/v1/delete-tasks', { name: 'replay minutes', selection: { attribute: { key: 'retentionScope', value: scope } }, retentionSeconds: 3 });
    const minutes = {
      meetingId: uniqueId('replay-meeting'),
      channel: 'IN_PERSON',
      occurredAt: new Date().toISOString(),
      location: 'Branch office',
      attendees: [
        { name: 'Replay Client', role: 'client', clientId: uniqueId('client') },
        { name: 'Replay Adviser', role: 'staff' },
      ],
      initiator: 'Replay Client',
      orderInformation: 'Buy 10 at market',
      attributes: { retentionScope: scope },
    };
    const created = await harness.http('POST', '/v1/meetings', minutes);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await harness.http('POST', '/v1/meetings', { ...minutes, orderInformation: 'Buy 10 at limit 99' });
    await harness.http('POST', '/v1/meetings', minutes);
    await deletedEventually(harness, created.body.conversationId);
    await harness.http('DELETE', `/v1/delete-tasks/${task.body.id}`);
    return [lifecycleOf(created.body.conversationId)];
  },
};
