import { z } from 'zod';

/**
 * The parts of an Amazon Connect chat transcript (as Connect writes it to S3) the engine relies on. Real
 * transcripts carry `null`s and fields not listed here: both are accepted, and the transcript is kept as
 * delivered.
 */
const isoTimestamp = z.iso.datetime({ offset: true });
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

/** Item types of the Connect participant service; S3 transcripts mostly hold the first three. */
export const CHAT_ITEM_TYPES = [
  'MESSAGE',
  'EVENT',
  'ATTACHMENT',
  'TYPING',
  'PARTICIPANT_JOINED',
  'PARTICIPANT_LEFT',
  'CHAT_ENDED',
  'TRANSFER_SUCCEEDED',
  'TRANSFER_FAILED',
  'CONNECTION_ACK',
  'MESSAGE_DELIVERED',
  'MESSAGE_READ',
] as const;
export const CHAT_PARTICIPANT_ROLES = ['AGENT', 'CUSTOMER', 'SYSTEM', 'CUSTOM_BOT', 'SUPERVISOR'] as const;

/** Connect's own bounds: an item's content is at most 16 KiB, names and ids at most 256 characters. */
const attachment = z.looseObject({
  AttachmentId: optional(z.string().max(256)),
  AttachmentName: optional(z.string().max(256)),
  ContentType: optional(z.string().max(255)),
  Status: optional(z.string().max(64)),
});

export const chatItemSchema = z.looseObject({
  Id: optional(z.string().min(1).max(256)),
  Type: z.enum(CHAT_ITEM_TYPES),
  AbsoluteTime: isoTimestamp,
  Content: optional(z.string().max(16_384)),
  ContentType: optional(z.string().max(255)),
  ParticipantId: optional(z.string().max(256)),
  DisplayName: optional(z.string().max(256)),
  ParticipantRole: optional(z.enum(CHAT_PARTICIPANT_ROLES)),
  Attachments: optional(z.array(attachment).max(100)),
});

/** A chat of a whole trading day stays far below this; more is not a transcript Connect writes. */
export const MAX_TRANSCRIPT_ITEMS = 20_000;

export const chatTranscriptSchema = z.looseObject({
  Version: optional(z.string().max(64)),
  AWSAccountId: optional(z.string().max(64)),
  InstanceId: optional(z.string().max(256)),
  InitialContactId: optional(z.string().min(1).max(256)),
  ContactId: z.string().min(1).max(256),
  Participants: optional(z.array(z.looseObject({ ParticipantId: optional(z.string().max(256)) })).max(1000)),
  Transcript: z.array(chatItemSchema).max(MAX_TRANSCRIPT_ITEMS),
});

export type ChatTranscript = z.infer<typeof chatTranscriptSchema>;
export type ChatItem = z.infer<typeof chatItemSchema>;

export interface ChatMessage {
  seq: number;
  itemId: string;
  itemType: ChatItem['Type'];
  sentAt: string;
  participantId: string | null;
  participantRole: string | null;
  displayName: string | null;
  contentType: string | null;
  body: string | null;
}

/** What a person reads for an item: a message's text, an attachment's file names, an event's content. */
function bodyOf(item: ChatItem): string | null {
  if (item.Type === 'ATTACHMENT') {
    const names = (item.Attachments ?? []).map((entry) => entry.AttachmentName).filter((name): name is string => !!name);
    return names.length > 0 ? names.join(', ') : (item.Content ?? null);
  }
  return item.Content ?? null;
}

/**
 * The transcript's items in the order they happened (stable for equal times). An item without an Id gets
 * `keyOf(item)`, a digest of its content, so a re-delivery still recognises it.
 */
export function chatMessagesOf(transcript: ChatTranscript, keyOf: (item: ChatItem) => string): ChatMessage[] {
  const seen = new Set<string>();
  return transcript.Transcript.map((item, index) => ({ item, index, at: Date.parse(item.AbsoluteTime) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .flatMap(({ item }): Omit<ChatMessage, 'seq'>[] => {
      const itemId = item.Id ?? keyOf(item);
      if (seen.has(itemId)) return [];
      seen.add(itemId);
      return [
        {
          itemId,
          itemType: item.Type,
          sentAt: new Date(item.AbsoluteTime).toISOString(),
          participantId: item.ParticipantId ?? null,
          participantRole: item.ParticipantRole ?? null,
          displayName: item.DisplayName ?? null,
          contentType: item.ContentType ?? null,
          body: bodyOf(item),
        },
      ];
    })
    .map((message, seq) => ({ ...message, seq }));
}

/** When the chat started and ended: its first and last item. */
export function chatTimespan(messages: readonly ChatMessage[]): { startedAt: string | null; endedAt: string | null } {
  return { startedAt: messages[0]?.sentAt ?? null, endedAt: messages.at(-1)?.sentAt ?? null };
}
