import { randomUUID } from 'node:crypto';
import { conversationIdFor } from '../../../src/lib/ids.js';
import { AMAZON_CONNECT_SOURCE } from '../../../src/workflows/lifecycle/capture.contract.js';
import { contactRecord } from '../../support/contact-records.js';
import type { FaultScale } from './scale.js';

/** What the suite does to a conversation after capture, and therefore what must become of it. */
export type ConversationRole = 'delete' | 'protect' | 'hold' | 'archive';

export interface PlannedConversation {
  conversationId: string;
  externalKey: string;
  role: ConversationRole;
  /** Each leg's ContactId and the LastUpdateTimestamp of its newest copy (the one that must be kept). */
  legs: { contactId: string; newestUpdate: string }[];
}

export interface PlannedCall {
  callId: string;
  /** The call's events in the order they happened. */
  events: Record<string, unknown>[];
}

export interface Workload {
  runId: string;
  conversations: PlannedConversation[];
  /** Every contact record delivery, duplicates and hours-old replays included, in the (shuffled) order sent. */
  deliveries: Record<string, unknown>[];
  calls: PlannedCall[];
  /**
   * Retention for a delete task created at `createdAt`: the conversations started hours ago, so the window is
   * that plus a little, and the first falls due `deleteAfterSeconds` after the task exists.
   */
  retentionSecondsFrom(createdAt: number): number;
}

const HOUR_MS = 3_600_000;

export function shuffle<T>(items: T[]): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

function roleOf(index: number): ConversationRole {
  // 60 % are deleted, the rest split between protection, a legal hold and an archive copy.
  const slot = index % 10;
  return slot < 6 ? 'delete' : slot < 7.5 ? 'protect' : slot < 9 ? 'hold' : 'archive';
}

/**
 * Conversations of one to three legs that started three hours ago (so the older copies replayed are "from
 * hours earlier"), each leg delivered newest copy first or last, some twice, some with its hours-old copy
 * replayed after the newest; all deliveries shuffled, so legs arrive out of order too.
 */
export function planWorkload(scale: FaultScale, now = Date.now()): Workload {
  const runId = randomUUID().slice(0, 8);
  const startOfRun = now - 3 * HOUR_MS;
  const conversations: PlannedConversation[] = [];
  const deliveries: Record<string, unknown>[] = [];
  for (let index = 0; index < scale.conversations; index += 1) {
    const role = roleOf(index);
    const startedAt = startOfRun + Math.floor((index / scale.conversations) * scale.startSpreadSeconds * 1000);
    const initialContactId = randomUUID();
    const legCount = 1 + (index % 3);
    const attributes: Record<string, string> = role === 'archive' ? { faultRun: runId } : { faultRun: runId, faultDelete: runId };
    const legs: PlannedConversation['legs'] = [];
    for (let leg = 0; leg < legCount; leg += 1) {
      const contactId = leg === 0 ? initialContactId : randomUUID();
      const initiation = new Date(startedAt + leg * 60_000).toISOString();
      const hoursOld = new Date(startedAt + leg * 60_000 + 30_000).toISOString();
      const newest = new Date(now + index * 10 + leg).toISOString();
      const copy = (lastUpdate: string, queue: string) =>
        contactRecord({
          ContactId: contactId,
          InitialContactId: leg === 0 ? null : initialContactId,
          PreviousContactId: leg === 0 ? null : legs[leg - 1]!.contactId,
          InitiationMethod: leg === 0 ? 'INBOUND' : 'TRANSFER',
          InitiationTimestamp: initiation,
          LastUpdateTimestamp: lastUpdate,
          Attributes: attributes,
          Queue: { ARN: 'arn:aws:connect:...:queue/1', Name: queue },
        });
      legs.push({ contactId, newestUpdate: newest });
      deliveries.push(copy(newest, 'Trading Desk'));
      if (Math.random() < 0.25) deliveries.push(copy(newest, 'Trading Desk'));
      if (Math.random() < 0.35) deliveries.push(copy(hoursOld, 'Old Queue'));
    }
    conversations.push({ conversationId: conversationIdFor(AMAZON_CONNECT_SOURCE, initialContactId), externalKey: initialContactId, role, legs });
  }
  const calls = Array.from({ length: scale.liveCalls }, (_, index) => {
    const callId = `fault-${runId}-${index}`;
    const at = (second: number) => new Date(now + second * 1000).toISOString();
    const events = [
      { eventId: `${callId}-1`, at: at(0), type: 'started', customer: '+441234500000', agent: 'agent.smith', direction: 'inbound' },
      { eventId: `${callId}-2`, at: at(20), type: 'held' },
      { eventId: `${callId}-3`, at: at(40), type: 'resumed' },
      { eventId: `${callId}-4`, at: at(60), type: 'transferred', to: 'agent.jones' },
      { eventId: `${callId}-5`, at: at(90), type: 'ended' },
    ];
    return { callId, events };
  });
  return {
    runId,
    conversations,
    deliveries: shuffle(deliveries),
    calls,
    retentionSecondsFrom: (createdAt) => Math.ceil((createdAt - startOfRun) / 1000) + scale.deleteAfterSeconds,
  };
}
