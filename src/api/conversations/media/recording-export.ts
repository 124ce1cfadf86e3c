import { Readable } from 'node:stream';
import type { RouteHandler } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { appendAudit, syncEntry, type AuditResult } from '../../../audit/write/audit-writer.js';
import { conversations } from '../../../db/schema/index.js';
import { recordingsOfConversation } from '../../../media/call-recordings.js';
import { MediaIntegrityError, MediaNotFoundError } from '../../../media/media-errors.js';
import type { VerifiedMedia } from '../../../media/media-store.js';
import { tarStream, type TarEntry } from '../../../lib/tar.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import type { exportConversationRecordingsRoute } from './routes.js';

/**
 * SEND_RECORDING: the conversation's recordings as one tar with a manifest of digests. Every file is
 * verified before the first byte is sent, so a damaged recording fails the export instead of shipping.
 */
export function recordingExportHandler(deps: ApiDeps): RouteHandler<typeof exportConversationRecordingsRoute, AppEnv> {
  return async (c) => {
    const { conversationId } = c.req.valid('param');
    const context = requestContext(c);
    const audit = (result: AuditResult, description: string, details: Record<string, unknown>) =>
      appendAudit(deps.db, [syncEntry({ activity: 'SEND_RECORDING', result, actor: context.actor, description, details, correlationId: context.correlationId, conversationId })]);

    const [conversation] = await deps.db.select({ deletedAt: conversations.deletedAt }).from(conversations).where(eq(conversations.id, conversationId));
    if (!conversation) {
      await audit('FAIL', `Recordings of conversation ${conversationId} requested: not found`, { error: 'not found' });
      throw new ProblemError(404, 'Conversation not found', { detail: `No conversation ${conversationId}` });
    }
    if (conversation.deletedAt) {
      await audit('FAIL', `Recordings of deleted conversation ${conversationId} requested`, { error: 'conversation deleted' });
      throw new ProblemError(410, 'ConversationDisposed', { detail: `conversation was deleted at ${conversation.deletedAt.toISOString()}` });
    }
    const recordings = await recordingsOfConversation(deps.db, conversationId);
    if (recordings.length === 0) {
      await audit('FAIL', `Recordings of conversation ${conversationId} requested: it has none`, { error: 'no recordings' });
      throw new ProblemError(404, 'No recordings', { detail: `Conversation ${conversationId} has no call recordings` });
    }

    const opened: VerifiedMedia[] = [];
    try {
      for (const recording of recordings) opened.push(await deps.media.open(recording.sha256));
    } catch (error) {
      await Promise.all(opened.map((media) => media.close()));
      if (!(error instanceof MediaIntegrityError) && !(error instanceof MediaNotFoundError)) throw error;
      await audit('FAIL', `Recordings of conversation ${conversationId} not sent: ${error.message}`, { error: error.message });
      throw new ProblemError(500, 'Media integrity violation', { detail: error.message });
    }

    const exportedAt = new Date();
    const files = recordings.map((recording) => ({
      fileName: `recordings/${recording.fileName}`,
      segmentIndex: recording.segmentIndex,
      mediaType: recording.mediaType,
      sizeBytes: recording.sizeBytes,
      sha256: recording.sha256,
      source: recording.source,
      storedAt: recording.storedAt,
    }));
    const manifest = Buffer.from(`${JSON.stringify({ conversationId, exportedAt: exportedAt.toISOString(), recordings: files }, null, 2)}\n`, 'utf8');
    try {
      await audit('OK', `${files.length} recording(s) of conversation ${conversationId} sent`, { recordings: files.map(({ segmentIndex, sha256 }) => ({ segmentIndex, sha256 })) });
    } catch (error) {
      await Promise.all(opened.map((media) => media.close()));
      throw error;
    }
    const entries: TarEntry[] = [
      { name: 'manifest.json', sizeBytes: manifest.byteLength, modifiedAt: exportedAt, content: () => manifest },
      ...files.map((file, index) => ({ name: file.fileName, sizeBytes: file.sizeBytes, modifiedAt: exportedAt, content: () => opened[index]!.stream() })),
    ];
    return c.body(Readable.toWeb(tarStream(entries)) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/x-tar',
      'content-disposition': `attachment; filename="recordings-${conversationId}.tar"`,
      'cache-control': 'private, no-store',
    });
  };
}
