/** What the conversation page reads from the API (the fields it shows). */

export interface Recording {
  sha256: string;
  contentType: string;
  fileName: string | null;
  sizeBytes: number | null;
  source: string | null;
}

export interface Segment {
  segmentIndex: number;
  kind: string;
  partyA: string;
  partyB: string;
  startedAt: string;
  endedAt: string | null;
  recorded: boolean;
  consent: string;
  mediaKept: boolean;
  recordings: Recording[];
}

export interface ConversationTag {
  segmentIndex: number;
  name: string;
  value: string | null;
  source: string;
  appliedAt: string;
}

export interface EmailContent {
  messageId: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  sentAt: string | null;
  bodyExcerpt: string | null;
  bodyTruncated: boolean;
  originalSha256: string;
  attachments: { fileName: string | null; contentType: string; sha256: string }[];
}

export interface ChatContent {
  participants: { participantId: string | null; role: string | null; displayName: string | null }[];
  messages: { seq: number; itemId: string; type: string; sentAt: string; participantRole: string | null; displayName: string | null; body: string | null }[];
  nextMessagesCursor: string | null;
}

export interface Leg {
  contactId: string;
  channel: string;
  initiationMethod: string | null;
  initiationTimestamp: string | null;
  disconnectTimestamp: string | null;
}

export interface Conversation {
  id: string;
  source: string;
  externalKey: string;
  channel: string;
  lifecycleState: string;
  startedAt: string | null;
  endedAt: string | null;
  agentUsername: string | null;
  queueName: string | null;
  customerAddress: string | null;
  systemAddress: string | null;
  attributes: Record<string, string>;
  captureFlags: { code: string; description: string }[];
  workflowId: string;
  legs: Leg[];
  email: EmailContent | null;
  chat: ChatContent | null;
  segments: Segment[];
  transferTargets: { contactId: string; address: string; type: string | null; completedAt: string | null }[];
  /** Absent from an engine older than the console (the read gained it with the console). */
  tags?: ConversationTag[];
}

export interface MediaItem {
  sha256: string;
  kind: 'original' | 'transcript' | 'attachment' | 'recording';
  fileName: string | null;
  contentType: string;
  sizeBytes: number;
  segmentIndex: number | null;
}

export interface Retention {
  state: string;
  deletedAt: string | null;
  protectedUntil: string | null;
  protectingTags: { name: string; protectionYears: number }[];
  activeHolds: { id: string; reason: string; placedAt: string; placedBy: string }[];
  status: 'held' | 'keep' | 'due' | 'deleted';
  deleteAt: string | null;
  deleteTask: { id: string; name: string } | null;
  reasons: { code: string; text: string }[];
}

export interface ReviewSummary {
  id: string;
  kind: string;
  status: string;
  questionnaire: { name: string; version: number };
  agent: { username: string | null };
  evaluator: { username: string | null } | null;
  scorePercent: number | null;
  tier: { name: string } | null;
  dueAt: string | null;
  completedAt: string | null;
}

/** The outcome of checking a file against its digest: the API verifies the whole file before serving any byte. */
export type DigestStatus = { state: 'verified' } | { state: 'mismatch'; detail: string } | { state: 'unavailable'; detail: string };

/** A release request awaiting a second person's approval. */
export interface PendingRelease {
  requestId: string;
  holdGroupId: string;
  conversationId: string | null;
  reason: string;
  status: string;
  requestedBy: string;
  requestedAt: string;
  expiresAt: string;
}
