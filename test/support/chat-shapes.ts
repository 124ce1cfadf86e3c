import { randomUUID } from 'node:crypto';

/**
 * Chats and contact records in the shapes real sources send, written here from the public formats (the
 * Amazon Connect data model, the Contact Lens output files, S3 chat transcripts, MongoDB exports).
 */

/** Contact Lens conversational-analytics output of a chat, as written under `Analysis/Chat/` (original). */
export function contactLensChat(options: { contactId: string; words: { customer: string; agent: string }; at?: string }) {
  const agent = randomUUID();
  const customer = randomUUID();
  const at = options.at ?? '2026-11-21T09:00:00.000Z';
  const later = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();
  return {
    AccountId: '123456789012',
    Channel: 'CHAT',
    ChatTranscriptVersion: '2.0.0',
    ContentMetadata: { Output: 'Raw' },
    CustomerMetadata: { ContactId: options.contactId, InstanceId: randomUUID(), InputS3Uri: `s3://connect-bucket/ChatTranscripts/2026/11/21/${options.contactId}.json` },
    JobStatus: 'COMPLETED',
    LanguageCode: 'en-GB',
    Participants: [
      { ParticipantId: customer, ParticipantRole: 'CUSTOMER' },
      { ParticipantId: agent, ParticipantRole: 'AGENT' },
    ],
    Categories: { MatchedCategories: ['trade-instruction'], MatchedDetails: { 'trade-instruction': { PointsOfInterest: [{ MillisecondOffsets: { BeginOffsetMillis: 0 } }] } } },
    ConversationCharacteristics: { Sentiment: { OverallSentiment: { AGENT: 0.5, CUSTOMER: 1.2 } }, TotalConversationDurationMillis: 62000 },
    Transcript: [
      { Id: randomUUID(), ParticipantId: customer, Content: `I would like to sell ${options.words.customer} today`, AbsoluteTime: later(2), BeginOffsetMillis: 2000, EndOffsetMillis: 2000, Sentiment: 'NEUTRAL' },
      { Id: randomUUID(), ParticipantId: agent, Content: `Selling ${options.words.agent} at market, confirmed`, AbsoluteTime: later(30), BeginOffsetMillis: 30000, EndOffsetMillis: 30000, Sentiment: 'POSITIVE' },
      { Id: randomUUID(), ParticipantId: customer, Content: 'Thanks, that is all', AbsoluteTime: later(62), BeginOffsetMillis: 62000, EndOffsetMillis: 62000, Sentiment: 'POSITIVE' },
    ],
  };
}

/** The redacted Contact Lens file: `[PII]` in place of personal data, Redaction details, offsets only (no AbsoluteTime). */
export function redactedContactLensChat(options: { contactId: string; word: string }) {
  const agent = randomUUID();
  const customer = randomUUID();
  return {
    AccountId: '123456789012',
    Channel: 'CHAT',
    Version: '1.1.0',
    ContentMetadata: { Output: 'Redacted', RedactionTypes: ['PII'] },
    CustomerMetadata: { ContactId: options.contactId, InstanceId: randomUUID() },
    JobStatus: 'COMPLETED',
    Participants: [
      { ParticipantId: customer, ParticipantRole: 'CUSTOMER' },
      { ParticipantId: agent, ParticipantRole: 'AGENT' },
    ],
    Transcript: [
      {
        Id: randomUUID(),
        ParticipantId: customer,
        Content: `My account number is [PII] and I hold ${options.word}`,
        BeginOffsetMillis: 4000,
        EndOffsetMillis: 4000,
        Redaction: { RedactedTimestamps: [{ BeginOffsetMillis: 4000, EndOffsetMillis: 4000 }], Entities: [{ Type: 'BANK_ACCOUNT_NUMBER' }] },
      },
      { Id: randomUUID(), ParticipantId: agent, Content: 'Thank you [PII], noted', BeginOffsetMillis: 9500, EndOffsetMillis: 9500, Redaction: { RedactedTimestamps: [{ BeginOffsetMillis: 9500, EndOffsetMillis: 9500 }] } },
    ],
  };
}

/** Hundreds of contact attributes, as a busy flow sets them. */
export const manyAttributes = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`flowAttribute${String(i).padStart(3, '0')}`, `value ${i}`]));

/** A CHAT contact record in the current data model (Recordings array, Tags, SegmentAttributes, DisconnectDetails). */
export function chatContactRecord(options: { contactId: string; initialContactId?: string; at: string; attributes?: Record<string, string> }) {
  return {
    AWSAccountId: '123456789012',
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: { ARN: 'arn:aws:connect:eu-west-2:123456789012:instance/x/agent/y', Username: 'chat.agent', ConnectedToAgentTimestamp: options.at, AgentInteractionDuration: 60 },
    Attributes: options.attributes ?? { product: 'equities' },
    Channel: 'CHAT',
    ContactId: options.contactId,
    InitialContactId: options.initialContactId ?? null,
    ContactDetails: {},
    ChatMetrics: { ContactMetrics: { MultiParty: false, TotalMessages: 3 } },
    DisconnectDetails: { PotentialDisconnectIssue: null },
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    InitiationMethod: 'API',
    InitiationTimestamp: options.at,
    ConnectedToSystemTimestamp: options.at,
    DisconnectTimestamp: new Date(Date.parse(options.at) + 120_000).toISOString(),
    LastUpdateTimestamp: new Date(Date.parse(options.at) + 180_000).toISOString(),
    Queue: { ARN: 'arn:aws:connect:...:queue/chat', Name: 'ChatQueue', EnqueueTimestamp: options.at },
    Recordings: null,
    SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Chat' } },
    Tags: { 'aws:connect:instanceId': 'x' },
  };
}

/**
 * A 2017-format VOICE record of the first leg of a transferred call: TransferredToEndpoint, the next leg's
 * id, a single Recording (not Recordings), hundreds of attributes, nulls for what was not measured.
 */
export function transferredVoiceRecord(options: { contactId: string; nextContactId: string; transferTo: string; at: string; attributes: Record<string, string> }) {
  return {
    AWSAccountId: '123456789012',
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: { ARN: 'arn:aws:connect:...:agent/a', Username: 'first.agent', ConnectedToAgentTimestamp: options.at, HierarchyGroups: null, AfterContactWorkDuration: null },
    AgentConnectionAttempts: 1,
    Attributes: options.attributes,
    Channel: 'VOICE',
    ContactId: options.contactId,
    InitialContactId: null,
    NextContactId: options.nextContactId,
    PreviousContactId: null,
    CustomerEndpoint: { Address: '+442079460000', Type: 'TELEPHONE_NUMBER' },
    SystemEndpoint: { Address: '+442079460999', Type: 'TELEPHONE_NUMBER' },
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: options.at,
    ConnectedToSystemTimestamp: options.at,
    TransferCompletedTimestamp: new Date(Date.parse(options.at) + 60_000).toISOString(),
    TransferredToEndpoint: { Address: options.transferTo, Type: 'TELEPHONE_NUMBER' },
    DisconnectReason: 'AGENT_DISCONNECT',
    DisconnectTimestamp: new Date(Date.parse(options.at) + 60_000).toISOString(),
    LastUpdateTimestamp: new Date(Date.parse(options.at) + 90_000).toISOString(),
    MediaStreams: [{ Type: 'AUDIO' }],
    Queue: { ARN: 'arn:aws:connect:...:queue/q', Name: 'Trading', Duration: 5, EnqueueTimestamp: options.at, DequeueTimestamp: options.at },
    Recording: { Location: 'connect-bucket/CallRecordings/2026/11/21/a.wav', Status: 'AVAILABLE', Type: 'AUDIO', DeletionReason: null },
    References: [],
  };
}

/** The same record as a MongoDB export writes it: `_id`, `__v`, and (optionally) `$date` wrappers on timestamps. */
export function mongoExport(record: Record<string, unknown>, options: { wrapDates: boolean }) {
  const wrapped = options.wrapDates ? { LastUpdateTimestamp: { $date: record.LastUpdateTimestamp }, InitiationTimestamp: { $date: record.InitiationTimestamp } } : {};
  return { _id: { $oid: '6560c0ffee0123456789abcd' }, __v: 0, ...record, ...wrapped, importedAt: { $date: '2026-11-22T00:00:00.000Z' } };
}
