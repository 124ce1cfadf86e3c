import { z } from 'zod';
import type { ChatTranscript } from './chat-transcript.js';

/**
 * The Contact Lens conversational-analytics output of a chat (as written to S3 under `Analysis/Chat`): the
 * contact id sits in `CustomerMetadata`, participants are named once with their role, and each transcript
 * entry refers to its participant. The redacted variant has the same shape with `[PII]` in `Content` and
 * `Redaction` details; both are accepted, with every field not listed here.
 */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();
const isoTimestamp = z.iso.datetime({ offset: true });

export const contactLensEntrySchema = z
  .looseObject({
    Id: optional(z.string().min(1).max(256)),
    ParticipantId: optional(z.string().max(256)),
    Content: optional(z.string().max(16_384)),
    AbsoluteTime: optional(isoTimestamp),
    BeginOffsetMillis: optional(z.number().int().min(0)),
    EndOffsetMillis: optional(z.number().int().min(0)),
  })
  .refine((entry) => entry.AbsoluteTime != null || entry.BeginOffsetMillis != null, {
    message: 'a transcript entry needs AbsoluteTime or BeginOffsetMillis',
    path: ['AbsoluteTime'],
  });

export const contactLensChatSchema = z.looseObject({
  Version: optional(z.string().max(64)),
  ChatTranscriptVersion: optional(z.string().max(64)),
  Channel: optional(z.string().max(64)),
  CustomerMetadata: z.looseObject({
    ContactId: z.string().min(1).max(256),
    InitialContactId: optional(z.string().min(1).max(256)),
    InstanceId: optional(z.string().max(256)),
  }),
  Participants: optional(
    z.array(z.looseObject({ ParticipantId: optional(z.string().max(256)), ParticipantRole: optional(z.string().max(64)), DisplayName: optional(z.string().max(256)) })).max(1000),
  ),
  Transcript: z.array(contactLensEntrySchema).max(20_000),
});

export type ContactLensChat = z.infer<typeof contactLensChatSchema>;

/** A body is Contact Lens output when it names its contact in CustomerMetadata rather than at the top. */
export function isContactLensChat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'CustomerMetadata' in value && !('ContactId' in value && (value as { ContactId: unknown }).ContactId);
}

const KNOWN_ROLES = new Set(['AGENT', 'CUSTOMER', 'SYSTEM', 'CUSTOM_BOT', 'SUPERVISOR']);

/**
 * The same chat in the S3 transcript's terms, so one path stores both. Offsets count from the contact's
 * start, which the file itself does not state: `startedAt` (the CHAT contact record's InitiationTimestamp)
 * is their base, else the first absolute time; callers refuse an offsets-only file with neither.
 */
export function contactLensToTranscript(chat: ContactLensChat, startedAt: string | null): ChatTranscript {
  const roles = new Map((chat.Participants ?? []).map((p) => [p.ParticipantId ?? '', p]));
  const firstAbsolute = chat.Transcript.find((entry) => entry.AbsoluteTime)?.AbsoluteTime ?? null;
  const base = Date.parse(startedAt ?? firstAbsolute ?? '1970-01-01T00:00:00Z');
  return {
    Version: chat.ChatTranscriptVersion ?? chat.Version ?? null,
    InstanceId: chat.CustomerMetadata.InstanceId ?? null,
    ContactId: chat.CustomerMetadata.ContactId,
    InitialContactId: chat.CustomerMetadata.InitialContactId ?? null,
    Participants: (chat.Participants ?? []).map((p) => ({ ParticipantId: p.ParticipantId ?? null })),
    Transcript: chat.Transcript.map((entry) => {
      const participant = roles.get(entry.ParticipantId ?? '');
      const role = participant?.ParticipantRole?.toUpperCase();
      return {
        Id: entry.Id ?? null,
        Type: 'MESSAGE' as const,
        AbsoluteTime: entry.AbsoluteTime ?? new Date(base + (entry.BeginOffsetMillis ?? 0)).toISOString(),
        Content: entry.Content ?? null,
        ContentType: 'text/plain',
        ParticipantId: entry.ParticipantId ?? null,
        DisplayName: participant?.DisplayName ?? null,
        ParticipantRole: role && KNOWN_ROLES.has(role) ? (role as ChatTranscript['Transcript'][number]['ParticipantRole']) : null,
      };
    }),
  };
}
