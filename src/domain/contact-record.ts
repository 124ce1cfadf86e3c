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

/** The channels Amazon Connect documents today; a record with another value is kept and flagged, never refused. */
export const CONTACT_CHANNELS = ['VOICE', 'CHAT', 'TASK', 'EMAIL'] as const;
/** Stored for a record that names no channel at all. */
export const UNKNOWN_CHANNEL = 'UNKNOWN';
/** A channel as filters and rules name it: a known one, or any value a source has sent (kept verbatim). */
export const channelValueSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'a channel is 1 to 64 letters, digits, _ or -, e.g. VOICE, CHAT, TASK, EMAIL');

const INITIATION_METHODS = ['INBOUND', 'OUTBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'CALLBACK', 'API', 'DISCONNECT', 'MONITOR', 'EXTERNAL_OUTBOUND', 'WEBRTC_API', 'AGENT_REPLY', 'FLOW', 'CAMPAIGN_PREVIEW'];
const DISCONNECT_REASONS = [
  'CUSTOMER_DISCONNECT',
  'AGENT_DISCONNECT',
  'THIRD_PARTY_DISCONNECT',
  'TELECOM_PROBLEM',
  'TELECOM_BUSY',
  'TELECOM_NUMBER_INVALID',
  'TELECOM_POTENTIAL_BLOCKING',
  'TELECOM_TIMEOUT',
  'TELECOM_UNANSWERED',
  'TELECOM_ORIGINATOR_CANCEL',
  'BARGED',
  'CONTACT_FLOW_DISCONNECT',
  'CONTACT_FLOW_ERROR',
  'OTHER',
  'EXPIRED',
  'API',
  'DISCARDED',
  'CUSTOMER_NEVER_ARRIVED',
  'OUTBOUND_DESTINATION_ENDPOINT_ERROR',
  'OUTBOUND_RESOURCE_ERROR',
  'OUTBOUND_ATTEMPT_FAILED',
  'OUTBOUND_PREVIEW_DISCARDED',
  'IDLE_DISCONNECT',
  'ENDED_BY_SYSTEM',
];

/**
 * What a conversation's records carry that the engine does not recognise (yet): the record is kept as sent,
 * the value verbatim, and these codes make it searchable and counted, so someone looks at it.
 */
export const CAPTURE_FLAGS = {
  'missing-channel': 'The contact record names no Channel',
  'unrecognised-channel': 'Unrecognised Channel value',
  'unrecognised-initiation-method': 'Unrecognised InitiationMethod value',
  'unrecognised-disconnect-reason': 'Unrecognised DisconnectReason value',
  'email-without-sender': 'The email names no sender (no readable From header); kept as sent',
  'email-unreadable-date': 'The email has a Date header that is not a date; dated when it was imported',
  'email-shared-message-id': 'Another, different email already used this Message-ID; kept as its own conversation',
} as const;
export type CaptureFlag = keyof typeof CAPTURE_FLAGS;
export const CAPTURE_FLAG_CODES = Object.keys(CAPTURE_FLAGS) as CaptureFlag[];

const MAX_ATTRIBUTE_CHARS = 32_768;
const MAX_ATTRIBUTES_CHARS = 65_536;
/** A record is held as one database row; a real record is a few KB. */
export const MAX_CONTACT_RECORD_CHARS = 512 * 1024;

export const contactRecordSchema = z.looseObject({
  ContactId: contactId,
  InitialContactId: optional(contactId),
  PreviousContactId: optional(contactId),
  NextContactId: optional(contactId),
  RelatedContactId: optional(contactId),
  // Free text, not an enumeration: Amazon Connect adds channels and methods; an unknown one is flagged (captureFlagsOf).
  Channel: optional(z.string().max(256)),
  InitiationMethod: optional(z.string().max(256)),
  InitiationTimestamp: optional(isoTimestamp),
  ConnectedToSystemTimestamp: optional(isoTimestamp),
  DisconnectTimestamp: optional(isoTimestamp),
  DisconnectReason: optional(z.string().max(256)),
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

/**
 * What the lifecycle is told of a delivered record: the digest the record is held under and the keys it
 * orders and files deliveries by, none of them personal data (the record itself never enters a workflow
 * history, which outlives anonymisation).
 */
export const contactRecordReferenceSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 is 64 lowercase hex digits'),
  contactId,
  initialContactId: contactId.nullable(),
  lastUpdateTimestamp: isoTimestamp,
  channel: z.string().min(1).max(256),
});
export type ContactRecordReference = z.infer<typeof contactRecordReferenceSchema>;

/** The reference a record is captured by; `sha256` is sha256Hex(canonicalJson(record as delivered)). */
export function contactRecordReferenceOf(record: ContactRecord, sha256: string): ContactRecordReference {
  return {
    sha256,
    contactId: record.ContactId,
    initialContactId: record.InitialContactId ?? null,
    lastUpdateTimestamp: record.LastUpdateTimestamp,
    channel: channelOf(record),
  };
}

/** The channel a record is stored under: as sent, or UNKNOWN_CHANNEL when it names none. */
export function channelOf(record: Pick<ContactRecord, 'Channel'>): string {
  return record.Channel ? record.Channel : UNKNOWN_CHANNEL;
}

/** The capture flags of one record, in CAPTURE_FLAG_CODES order. */
export function captureFlagsOf(record: Pick<ContactRecord, 'Channel' | 'InitiationMethod' | 'DisconnectReason'>): CaptureFlag[] {
  const flags = new Set<CaptureFlag>();
  if (!record.Channel) flags.add('missing-channel');
  else if (!(CONTACT_CHANNELS as readonly string[]).includes(record.Channel)) flags.add('unrecognised-channel');
  if (record.InitiationMethod && !INITIATION_METHODS.includes(record.InitiationMethod)) flags.add('unrecognised-initiation-method');
  if (record.DisconnectReason && !DISCONNECT_REASONS.includes(record.DisconnectReason)) flags.add('unrecognised-disconnect-reason');
  return CAPTURE_FLAG_CODES.filter((flag) => flags.has(flag));
}

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
