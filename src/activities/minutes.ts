import { ApplicationFailure } from '@temporalio/activity';
import { eq, sql } from 'drizzle-orm';
import { workflowActor, type RequestContext } from '../audit/write/actor.js';
import { appendAudit, syncEntry } from '../audit/write/audit-writer.js';
import { conversationMedia, conversations } from '../db/schema/index.js';
import { FailureType } from '../domain/failures.js';
import { MEETING_CHANNEL, MEETING_SOURCE, meetingConversationFacts, readMinutesDocument, type MeetingMinutesDocument } from '../domain/meeting-minutes.js';
import { attachMedia, mediaOfConversation, type MediaReference } from '../media/conversation-media.js';
import { refreshSearchDocument } from '../search/search-document.js';
import type { CaptureMinutesArgs, CaptureMinutesResult } from '../workflows/lifecycle/minutes.contract.js';
import { changedByRequest } from './content/captured-conversation.js';
import { readStoredOriginal } from './content/stored-original.js';
import { lockLiveConversation } from './conversation-lock.js';
import type { ActivityDeps } from './deps.js';

export interface StoreMeetingMinutesInput {
  conversationId: string;
  externalKey: string;
  minutes: CaptureMinutesArgs['minutes'];
  context: RequestContext;
  workflow: { workflowId: string; runId: string };
}

/** Every version of the minutes is kept as `original` media under this name; the newest one is in force. */
export const MINUTES_FILE_NAME = 'minutes.json';

async function readMinutes(deps: ActivityDeps, input: StoreMeetingMinutesInput): Promise<MeetingMinutesDocument> {
  const stored = await readStoredOriginal(deps.media, input.minutes.documentSha256);
  let json: unknown;
  try {
    json = JSON.parse(stored.toString('utf8'));
  } catch {
    throw ApplicationFailure.nonRetryable('stored minutes are not JSON', FailureType.InvalidInput);
  }
  const read = readMinutesDocument(json);
  if (!read.ok) throw ApplicationFailure.nonRetryable(read.message, FailureType.InvalidInput);
  if (read.minutes.meetingId !== input.externalKey) {
    throw ApplicationFailure.nonRetryable(`minutes of meeting ${read.minutes.meetingId} do not belong to meeting ${input.externalKey}`, FailureType.InvalidInput);
  }
  // Attachments were stored by the API before the update; an absent or altered one cannot come back by retrying.
  for (const attachment of read.minutes.attachments) await readStoredOriginal(deps.media, attachment.sha256);
  return read.minutes;
}

/**
 * Stores a meeting's minutes the API put in the media store: the conversation (channel MEETING), the
 * document and its attachments as media, and the audit entry, in one transaction. The same document again
 * changes nothing; a different one for the same meeting is a correction: it is added beside the earlier
 * versions, which stay readable, and the conversation's facts follow the newest.
 */
export async function storeMeetingMinutes(deps: ActivityDeps, input: StoreMeetingMinutesInput): Promise<CaptureMinutesResult> {
  const minutes = await readMinutes(deps, input);
  const facts = meetingConversationFacts(minutes);
  const { conversationId, context } = input;
  const actor = workflowActor(input.workflow.workflowId, input.workflow.runId);
  const row = {
    startedAt: new Date(minutes.occurredAt),
    endedAt: minutes.endedAt ? new Date(minutes.endedAt) : null,
    customerAddress: facts.customerAddress,
    agentUsername: facts.agentUsername,
    attributes: facts.attributes,
  };
  const references: MediaReference[] = [
    { sha256: input.minutes.documentSha256, sizeBytes: input.minutes.sizeBytes, kind: 'original', fileName: MINUTES_FILE_NAME, contentType: 'application/json' },
    ...minutes.attachments.map((a) => ({ sha256: a.sha256, sizeBytes: a.sizeBytes, kind: 'attachment' as const, fileName: a.fileName, contentType: a.contentType })),
  ];

  return deps.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(conversations)
      .values({ id: conversationId, source: MEETING_SOURCE, externalKey: input.externalKey, channel: MEETING_CHANNEL, workflowId: input.workflow.workflowId, lifecycleState: 'captured', ...row })
      .onConflictDoNothing()
      .returning({ id: conversations.id });
    await lockLiveConversation(tx, conversationId);
    const created = inserted.length > 0;
    const earlierVersions = created
      ? []
      : (await tx.select({ sha256: conversationMedia.sha256, kind: conversationMedia.kind, fileName: conversationMedia.fileName }).from(conversationMedia).where(eq(conversationMedia.conversationId, conversationId)))
          .filter((media) => media.kind === 'original' && media.fileName === MINUTES_FILE_NAME)
          .map((media) => media.sha256);
    const newVersion = !earlierVersions.includes(input.minutes.documentSha256);
    await attachMedia(tx, conversationId, references);

    const details = { meetingId: input.externalKey, channel: minutes.channel, documentSha256: input.minutes.documentSha256, attachments: minutes.attachments.length, requestedBy: context.actor.id };
    const base = { actor, correlationId: context.correlationId, conversationId };
    let outcome: CaptureMinutesResult['outcome'];
    if (created) {
      outcome = 'created';
      await refreshSearchDocument(tx, conversationId);
      await appendAudit(tx, [syncEntry({ ...base, activity: 'CONVERSATION_CAPTURED', result: 'OK', description: `Conversation ${conversationId} captured from the minutes of meeting ${input.externalKey}`, details })]);
    } else if (newVersion) {
      outcome = 'updated';
      await tx.update(conversations).set({ ...row, updatedAt: sql`now()` }).where(eq(conversations.id, conversationId));
      await refreshSearchDocument(tx, conversationId);
      // The correction names the versions it follows, so what the minutes said before stays ascertainable (Art. 72(1)(b)).
      const change = { ...base, activity: 'CONVERSATION_EVENT_METADATA_CHANGE', description: `Minutes of meeting ${input.externalKey} corrected`, details: { ...details, earlierVersions } };
      await appendAudit(tx, [
        { ...change, phase: 'BEGIN', result: null },
        { ...change, phase: 'END', result: 'OK' },
      ]);
    } else if (await changedByRequest(tx, conversationId, 'CONVERSATION_CAPTURED', context.correlationId)) {
      outcome = 'created';
    } else if (await changedByRequest(tx, conversationId, 'CONVERSATION_EVENT_METADATA_CHANGE', context.correlationId)) {
      outcome = 'updated';
    } else {
      outcome = 'duplicate';
    }
    return { conversationId, outcome, media: await mediaOfConversation(tx, conversationId) };
  });
}

/** Face-to-face and video meeting minutes. */
export function minutesActivities(deps: ActivityDeps) {
  return {
    storeMeetingMinutes: (input: StoreMeetingMinutesInput) => storeMeetingMinutes(deps, input),
  };
}
