import { sql } from 'drizzle-orm';
import { bigint, check, customType, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';

/** PostgreSQL's full-text document type; drizzle has no built-in column for it. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Files in the content-addressed media store (src/media), one row per distinct content. */
export const mediaObjects = pgTable(
  'media_objects',
  {
    sha256: text('sha256').primaryKey(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    /** The type the content was first stored with; each conversation's reference keeps its own. */
    contentType: text('content_type').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('media_objects_sha256_ck', sql`${table.sha256} ~ '^[0-9a-f]{64}$'`)],
);

/** original: the message exactly as received (.eml); transcript: a chat transcript as delivered. */
export const MEDIA_KINDS = ['original', 'transcript', 'attachment', 'recording'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Which media belong to which conversation, and as what. The same content may belong to many. */
export const conversationMedia = pgTable(
  'conversation_media',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    kind: text('kind').$type<MediaKind>().notNull(),
    /** Order within the kind (attachments in message order); makes a retried insert a no-op. */
    position: integer('position').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => mediaObjects.sha256),
    fileName: text('file_name'),
    contentType: text('content_type').notNull(),
    /** The call segment a recording belongs to; null for the conversation as a whole. */
    segmentIndex: integer('segment_index'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.kind, table.position] }),
    // Serving one file of a conversation, and finding every conversation that still uses a file.
    index('conversation_media_sha256_idx').on(table.sha256, table.conversationId),
    check('conversation_media_kind_ck', sql`${table.kind} in ('original', 'transcript', 'attachment', 'recording')`),
  ],
);

/** Where a call recording came from: uploaded through the API, or fetched from an object store. */
export const RECORDING_SOURCES = ['upload', 's3'] as const;
export type RecordingSource = (typeof RECORDING_SOURCES)[number];

/**
 * The audio of one call segment and its provenance. The file is also a `recording` in conversation_media
 * (listing, serving, deletion); this row says which segment it is, where it came from and who sent it.
 */
export const callRecordings = pgTable(
  'call_recordings',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    segmentIndex: integer('segment_index').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => mediaObjects.sha256),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    source: text('source').$type<RecordingSource>().notNull(),
    /** For fetched recordings, the object's location (bucket/key); null for uploads. */
    sourceLocation: text('source_location'),
    /** The actor id of whoever stored it (an integration's user, or the fetching workflow). */
    storedBy: text('stored_by').notNull(),
    storedAt: timestamp('stored_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One recording per segment: a second, different file for the same segment is refused, never overwrites.
    primaryKey({ columns: [table.conversationId, table.segmentIndex] }),
    index('call_recordings_sha256_idx').on(table.sha256),
    check('call_recordings_source_ck', sql`${table.source} in ('upload', 's3')`),
  ],
);

/** Items of an imported chat transcript (messages, events, attachments), in transcript order. */
export const conversationMessages = pgTable(
  'conversation_messages',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    seq: integer('seq').notNull(),
    /** The transcript item's Id; a re-delivered transcript adds only the items not stored yet. */
    itemId: text('item_id').notNull(),
    itemType: text('item_type').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }).notNull(),
    participantId: text('participant_id'),
    participantRole: text('participant_role'),
    displayName: text('display_name'),
    contentType: text('content_type'),
    body: text('body'),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.seq] }),
    uniqueIndex('conversation_messages_item_uq').on(table.conversationId, table.itemId),
  ],
);

/** The searchable fields of an imported email; the message itself is kept as `original` media. */
export const conversationEmails = pgTable(
  'conversation_emails',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    messageId: text('message_id'),
    /** Addresses are stored lower-cased, so filters match whatever case a client typed. */
    fromAddress: text('from_address'),
    toAddresses: text('to_addresses').array().notNull().default(sql`'{}'::text[]`),
    ccAddresses: text('cc_addresses').array().notNull().default(sql`'{}'::text[]`),
    bccAddresses: text('bcc_addresses').array().notNull().default(sql`'{}'::text[]`),
    /** Display names of every party ("Alice Smith"), for full-text search. */
    displayNames: text('display_names').array().notNull().default(sql`'{}'::text[]`),
    subject: text('subject'),
    bodyText: text('body_text'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    rawSha256: text('raw_sha256')
      .notNull()
      .references(() => mediaObjects.sha256),
  },
  (table) => [
    index('conversation_emails_from_idx').on(table.fromAddress),
    index('conversation_emails_to_idx').using('gin', table.toAddresses),
    index('conversation_emails_cc_idx').using('gin', table.ccAddresses),
    index('conversation_emails_subject_idx').using('gin', sql`to_tsvector('simple', coalesce(${table.subject}, ''))`),
  ],
);

/**
 * One full-text document per conversation (the Conversation Explorer's `q`): chat messages and names,
 * email addresses, subject and body, call metadata. Maintained by refreshSearchDocument (src/search).
 */
export const conversationSearchDocuments = pgTable(
  'conversation_search_documents',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id),
    document: tsvector('document').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('conversation_search_documents_document_idx').using('gin', table.document)],
);
