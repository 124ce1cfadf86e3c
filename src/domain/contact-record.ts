import { z } from 'zod';

/**
 * The parts of an Amazon Connect contact record (CTR) the engine relies on. Real records carry `null`
 * in many fields and fields the data model does not list yet: both are accepted, and the whole record
 * is kept as delivered.
 */
const isoTimestamp = z.iso.datetime({ offset: true });
const contactId = z.string().min(1).max(256);
const optional = <T extends z.ZodType>(schema: T) => schema.nullish();

const endpoint = z.looseObject({ Address: optional(z.string().max(256)), Type: optional(z.string()) });

const recording = z.looseObject({
  Location: optional(z.string().max(1024)),
  Type: optional(z.string()),
  MediaStreamType: optional(z.string()),
  ParticipantType: optional(z.string()),
  Status: optional(z.string()),
  StorageType: optional(z.string()),
  DeletionReason: optional(z.string()),
  StartTimestamp: optional(isoTimestamp),
  StopTimestamp: optional(isoTimestamp),
});

export const CONTACT_CHANNELS = ['VOICE', 'CHAT', 'TASK'] as const;

const MAX_ATTRIBUTE_CHARS = 32_768;
const MAX_ATTRIBUTES_CHARS = 65_536;
/** A workflow update carries the record; Temporal refuses payloads of 2 MB, and a real record is a few KB. */
export const MAX_CONTACT_RECORD_CHARS = 512 * 1024;

export const contactRecordSchema = z.looseObject({
  ContactId: contactId,
  InitialContactId: optional(contactId),
  PreviousContactId: optional(contactId),
  NextContactId: optional(contactId),
  RelatedContactId: optional(contactId),
  Channel: z.enum(CONTACT_CHANNELS),
  InitiationMethod: optional(z.string().max(64)),
  InitiationTimestamp: optional(isoTimestamp),
  ConnectedToSystemTimestamp: optional(isoTimestamp),
  DisconnectTimestamp: optional(isoTimestamp),
  DisconnectReason: optional(z.string().max(128)),
  LastUpdateTimestamp: isoTimestamp,
  Agent: optional(
    z.looseObject({
      Username: optional(z.string().max(100)),
      ARN: optional(z.string()),
      ConnectedToAgentTimestamp: optional(isoTimestamp),
    }),
  ),
  Queue: optional(z.looseObject({ Name: optional(z.string().max(256)), ARN: optional(z.string()) })),
  CustomerEndpoint: optional(endpoint),
  SystemEndpoint: optional(endpoint),
  // Amazon Connect allows 32 KB of attributes in all; twice that is kept, anything larger is not a real record.
  Attributes: optional(
    z
      .record(z.string().max(MAX_ATTRIBUTE_CHARS), z.string().max(MAX_ATTRIBUTE_CHARS).nullable())
      .refine((attributes) => JSON.stringify(attributes).length <= MAX_ATTRIBUTES_CHARS, `Attributes exceed ${MAX_ATTRIBUTES_CHARS} characters in total`),
  ),
  Recording: optional(recording),
  Recordings: optional(z.array(recording).max(1000)),
});

export type ContactRecord = z.infer<typeof contactRecordSchema>;

/** The conversation a record belongs to: every leg of a transfer or callback shares the first contact's id. */
export function conversationKeyOf(record: Pick<ContactRecord, 'ContactId' | 'InitialContactId'>): string {
  return record.InitialContactId ?? record.ContactId;
}

export type DeliveryOutcome = 'created' | 'updated' | 'duplicate' | 'stale';

/**
 * At-least-once delivery: the copy with the newest LastUpdateTimestamp wins. An older (or equally old but
 * different) copy changes nothing; an identical replay is a duplicate.
 */
export function compareDelivery(
  stored: { lastUpdate: Date; digest: string } | undefined,
  incoming: { lastUpdate: Date; digest: string },
): DeliveryOutcome {
  if (!stored) return 'created';
  if (stored.digest === incoming.digest) return 'duplicate';
  return incoming.lastUpdate.getTime() > stored.lastUpdate.getTime() ? 'updated' : 'stale';
}
