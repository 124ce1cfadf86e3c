import { randomUUID } from 'node:crypto';

/**
 * A contact record shaped like a real Amazon Connect export: many `null`s and fields the data model
 * does not list (the seed says new fields appear over time).
 */
export function contactRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const contactId = (overrides.ContactId as string | undefined) ?? randomUUID();
  return {
    AWSAccountId: '123456789012',
    AWSContactTraceRecordFormatVersion: '2017-03-10',
    Agent: {
      ARN: 'arn:aws:connect:eu-west-2:123456789012:instance/abc/agent/def',
      Username: 'agent.smith',
      ConnectedToAgentTimestamp: '2026-11-20T10:00:05Z',
      AgentInteractionDuration: 118,
      AfterContactWorkDuration: null,
      HierarchyGroups: null,
      RoutingProfile: { ARN: 'arn:aws:connect:...:routing-profile/1', Name: 'Basic Routing Profile' },
      CustomerHoldDuration: 0,
      NumberOfHolds: 0,
      LongestHoldDuration: 0,
      StateTransitions: null,
    },
    AgentConnectionAttempts: 1,
    Attributes: { clientTier: 'professional' },
    Channel: 'VOICE',
    ConnectedToSystemTimestamp: '2026-11-20T10:00:00Z',
    ContactId: contactId,
    CustomerEndpoint: { Address: '+441234567890', Type: 'TELEPHONE_NUMBER' },
    DisconnectReason: 'CUSTOMER_DISCONNECT',
    DisconnectTimestamp: '2026-11-20T10:02:05Z',
    InitialContactId: null,
    InitiationMethod: 'INBOUND',
    InitiationTimestamp: '2026-11-20T10:00:00Z',
    InstanceARN: 'arn:aws:connect:eu-west-2:123456789012:instance/abc',
    LastUpdateTimestamp: '2026-11-20T10:03:00Z',
    MediaStreams: [{ Type: 'AUDIO' }],
    NextContactId: null,
    PreviousContactId: null,
    Queue: { ARN: 'arn:aws:connect:...:queue/1', Name: 'Trading Desk', EnqueueTimestamp: '2026-11-20T10:00:01Z', DequeueTimestamp: '2026-11-20T10:00:05Z', Duration: 4 },
    Recording: null,
    Recordings: [
      {
        DeletionReason: null,
        FragmentStartNumber: null,
        FragmentStopNumber: null,
        Location: `connect-recordings/2026/11/20/${contactId}.wav`,
        MediaStreamType: 'AUDIO',
        ParticipantType: 'ALL',
        StartTimestamp: '2026-11-20T10:00:05Z',
        Status: 'AVAILABLE',
        StopTimestamp: '2026-11-20T10:02:05Z',
        StorageType: 'Amazon S3',
      },
    ],
    References: [],
    RelatedContactId: null,
    ScheduledTimestamp: null,
    SystemEndpoint: { Address: '+441110000000', Type: 'TELEPHONE_NUMBER' },
    TransferCompletedTimestamp: null,
    TransferredToEndpoint: null,
    VoiceIdResult: null,
    ContactDetails: {},
    Tags: { 'aws:connect:instanceId': 'abc' },
    SegmentAttributes: null,
    ...overrides,
  };
}
