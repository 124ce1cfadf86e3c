import { Readable } from 'node:stream';
import { and, eq, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { conversationEmails, conversations } from '../db/schema/index.js';
import { listedMediaOfConversation } from '../media/conversation-media.js';
import type { MediaStore } from '../media/media-store.js';
import { sha256Hex } from '../lib/digest.js';
import type { TarEntry } from '../lib/tar.js';
import { searchConditions } from '../search/search-filters.js';

/** Who the copy is for: any of these identifies the client; a conversation matching one of them is theirs. */
export interface ClientIdentifiers {
  phoneNumber?: string;
  emailAddress?: string;
  clientId?: string;
}

/**
 * One request answers one package, built while it streams: beyond this many conversations the firm narrows
 * the request (e.g. one identifier at a time) rather than hold a request open for hours.
 */
export const MAX_CLIENT_COPY_CONVERSATIONS = 500;

/**
 * One condition per way the client is identified, each the Conversation Explorer's own (so each is served by
 * the index that serves that filter); they are queried apart rather than OR-ed, which would defeat the indexes.
 */
function clientConditions(client: ClientIdentifiers): SQL[] {
  const conditions: SQL[] = [];
  if (client.phoneNumber) conditions.push(...searchConditions({ phone: client.phoneNumber }));
  if (client.emailAddress) {
    const address = client.emailAddress.toLowerCase();
    // A meeting's client (or a contact record's customer) by address, an email by any of its parties.
    conditions.push(eq(conversations.customerAddress, address));
    for (const filters of [{ emailFrom: address }, { emailTo: address }, { cc: address }]) conditions.push(...searchConditions(filters));
  }
  if (client.clientId) conditions.push(...searchConditions({ attributes: { clientId: client.clientId } }));
  return conditions;
}

export interface ClientConversation {
  id: string;
  channel: string;
  startedAt: Date | null;
}

const byStart = (a: ClientConversation, b: ClientConversation) =>
  (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Live (not deleted) conversations of the client, oldest first; one more than the limit tells "too many". */
export async function findClientConversations(db: Executor, client: ClientIdentifiers, limit = MAX_CLIENT_COPY_CONVERSATIONS): Promise<ClientConversation[]> {
  const found = new Map<string, ClientConversation>();
  for (const condition of clientConditions(client)) {
    const rows = await db
      .select({ id: conversations.id, channel: conversations.channel, startedAt: conversations.startedAt })
      .from(conversations)
      .leftJoin(conversationEmails, eq(conversationEmails.conversationId, conversations.id))
      .where(and(isNull(conversations.deletedAt), condition))
      .limit(limit + 1);
    for (const row of rows) found.set(row.id, row);
  }
  return [...found.values()].sort(byStart).slice(0, limit + 1);
}

export interface ClientCopyFile {
  path: string;
  conversationId: string;
  /** conversation: the record as the API reads it (metadata, email, chat messages, segments, tags); others: stored media. */
  kind: 'conversation' | 'original' | 'transcript' | 'attachment' | 'recording';
  fileName: string | null;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  segmentIndex: number | null;
}

export interface ClientCopyPackage {
  manifest: Buffer;
  manifestSha256: string;
  files: ClientCopyFile[];
  entries: TarEntry[];
}

/** Each media file is verified when the package is planned, then streamed lazily (re-hashed as it is read), one open file at a time. */
function lazyMedia(media: MediaStore, sha256: string): () => Readable {
  return () =>
    Readable.from(
      (async function* () {
        const verified = await media.open(sha256);
        yield* verified.stream();
      })(),
    );
}

/**
 * Plans the package: `manifest.json` (the client identifiers, when, by whom, and every file with its
 * SHA-256), then per conversation its record as JSON and each of its media files. Every media file is
 * checked against its digest first (MediaIntegrityError, MediaNotFoundError), so a damaged file fails the
 * copy before a byte is sent.
 */
export async function planClientCopy(
  deps: { db: Executor; media: MediaStore },
  request: { copyId: string; client: ClientIdentifiers; requestedBy: string; createdAt: Date },
  found: readonly ClientConversation[],
  readRecord: (conversationId: string) => Promise<unknown>,
): Promise<ClientCopyPackage> {
  const files: ClientCopyFile[] = [];
  const entries: TarEntry[] = [];
  const modifiedAt = request.createdAt;
  for (const conversation of found) {
    const folder = `conversations/${conversation.id}`;
    const record = Buffer.from(`${JSON.stringify(await readRecord(conversation.id), null, 2)}\n`, 'utf8');
    const recordFile: ClientCopyFile = {
      path: `${folder}/conversation.json`,
      conversationId: conversation.id,
      kind: 'conversation',
      fileName: null,
      contentType: 'application/json',
      sizeBytes: record.byteLength,
      sha256: sha256Hex(record),
      segmentIndex: null,
    };
    files.push(recordFile);
    entries.push({ name: recordFile.path, sizeBytes: record.byteLength, modifiedAt, content: () => record });
    const media = await listedMediaOfConversation(deps.db, conversation.id);
    for (const [index, item] of media.entries()) {
      const verified = await deps.media.open(item.sha256);
      await verified.close();
      // Tar names are ASCII and at most 100 bytes: the original file name is in the manifest, not the path.
      const file: ClientCopyFile = {
        path: `${folder}/${item.kind}-${String(index + 1).padStart(3, '0')}-${item.sha256.slice(0, 16)}`,
        conversationId: conversation.id,
        kind: item.kind,
        fileName: item.fileName,
        contentType: item.contentType,
        sizeBytes: verified.sizeBytes,
        sha256: item.sha256,
        segmentIndex: item.segmentIndex,
      };
      files.push(file);
      entries.push({ name: file.path, sizeBytes: file.sizeBytes, modifiedAt, content: lazyMedia(deps.media, item.sha256) });
    }
  }
  const manifestBody = {
    clientCopyId: request.copyId,
    createdAt: request.createdAt.toISOString(),
    requestedBy: request.requestedBy,
    client: request.client,
    conversations: found.map((conversation) => ({ conversationId: conversation.id, channel: conversation.channel, startedAt: conversation.startedAt?.toISOString() ?? null })),
    files,
  };
  const manifest = Buffer.from(`${JSON.stringify(manifestBody, null, 2)}\n`, 'utf8');
  return {
    manifest,
    manifestSha256: sha256Hex(manifest),
    files,
    entries: [{ name: 'manifest.json', sizeBytes: manifest.byteLength, modifiedAt, content: () => manifest }, ...entries],
  };
}

/** Counted for the audit entry: how much of each kind the copy holds. */
export function filesByKind(files: readonly ClientCopyFile[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of files) counts[file.kind] = (counts[file.kind] ?? 0) + 1;
  return counts;
}

