import { Readable } from 'node:stream';
import type { RouteHandler } from '@hono/zod-openapi';
import { appendAudit, syncEntry, type AuditResult } from '../../../audit/write/audit-writer.js';
import { auditedCall } from '../../../audit/write/audited.js';
import { listedMediaOfConversation } from '../../../media/conversation-media.js';
import { MediaIntegrityError, MediaNotFoundError } from '../../../media/media-errors.js';
import type { VerifiedMedia } from '../../../media/media-store.js';
import type { AppEnv } from '../../context.js';
import type { ApiDeps } from '../../deps.js';
import { ProblemError } from '../../problem.js';
import { requestContext } from '../../request-context.js';
import { parseByteRange } from './byte-range.js';
import { downloadHeaders } from './download-headers.js';
import { recordingExportHandler } from './recording-export.js';
import { conversationExists, findMediaReference } from './media-reference.js';
import type { exportConversationRecordingsRoute, getConversationMediaRoute, listConversationMediaRoute } from './routes.js';

export function conversationMediaHandlers(deps: ApiDeps) {
  const listConversationMedia: RouteHandler<typeof listConversationMediaRoute, AppEnv> = async (c) => {
    const { conversationId } = c.req.valid('param');
    const context = requestContext(c);
    const items = await auditedCall(
      deps.db,
      { ...context, activity: 'CONVERSATION_BY_ID', description: `Media of conversation ${conversationId} listed`, conversationId },
      async () => {
        const visible = await conversationExists(deps.db, conversationId);
        const value = visible ? await listedMediaOfConversation(deps.db, conversationId) : undefined;
        return { value, result: value ? 'OK' : 'FAIL', details: value ? { count: value.length } : { error: 'not found' } };
      },
    );
    if (!items) throw new ProblemError(404, 'Conversation not found', { detail: `No conversation ${conversationId}` });
    return c.json({ items }, 200);
  };
  const getConversationMedia: RouteHandler<typeof getConversationMediaRoute, AppEnv> = async (c) => {
    const { conversationId, sha256 } = c.req.valid('param');
    const context = requestContext(c);
    const audit = (result: AuditResult, description: string, details: Record<string, unknown>) =>
      appendAudit(deps.db, [
        syncEntry({ activity: 'ACCESS_MEDIA', result, actor: context.actor, description, details: { sha256, ...details }, correlationId: context.correlationId, conversationId }),
      ]);

    const reference = await findMediaReference(deps.db, conversationId, sha256);
    if (!reference) {
      await audit('FAIL', `Media ${sha256} of conversation ${conversationId} requested: not found`, { error: 'not found' });
      throw new ProblemError(404, 'Media not found', { detail: `Conversation ${conversationId} has no media ${sha256}` });
    }
    if (reference.deletedAt) {
      await audit('FAIL', `Media ${sha256} of deleted conversation ${conversationId} requested`, { error: 'conversation deleted' });
      throw new ProblemError(410, 'ConversationDisposed', { detail: `conversation was deleted at ${reference.deletedAt.toISOString()}` });
    }

    let media: VerifiedMedia;
    try {
      media = await deps.media.open(sha256);
    } catch (error) {
      if (!(error instanceof MediaIntegrityError) && !(error instanceof MediaNotFoundError)) throw error;
      await audit('FAIL', `Media ${sha256} of conversation ${conversationId} failed its integrity check: not served`, { error: error.message, kind: reference.kind });
      throw new ProblemError(500, 'Media integrity violation', { detail: error.message });
    }
    const range = parseByteRange(c.req.header('range'), media.sizeBytes);
    if (range.kind === 'unsatisfiable') {
      await media.close();
      await audit('FAIL', `Media ${sha256} of conversation ${conversationId} requested with an unsatisfiable range`, { error: 'range not satisfiable', range: c.req.header('range') });
      throw new ProblemError(416, 'Range not satisfiable', {
        detail: `the file has ${media.sizeBytes} bytes; ${c.req.header('range')} asks for none of them`,
        errors: [{ pointer: '', field: 'Range', message: `outside 0-${media.sizeBytes - 1}` }],
      });
    }
    const rangeDetails = range.kind === 'partial' ? { range: `${range.start}-${range.end}` } : {};
    try {
      await audit('OK', `Media ${sha256} (${reference.kind}) of conversation ${conversationId} accessed`, { kind: reference.kind, fileName: reference.fileName, ...rangeDetails });
    } catch (error) {
      await media.close();
      throw error;
    }
    const headers = { ...downloadHeaders({ sha256, sizeBytes: media.sizeBytes, contentType: reference.contentType, fileName: reference.fileName }), 'accept-ranges': 'bytes' };
    if (range.kind === 'partial') {
      const partial = { ...headers, 'content-length': String(range.end - range.start + 1), 'content-range': `bytes ${range.start}-${range.end}/${media.sizeBytes}` };
      return c.body(Readable.toWeb(media.streamRange(range.start, range.end)) as ReadableStream<Uint8Array>, 206, partial);
    }
    return c.body(Readable.toWeb(media.stream()) as ReadableStream<Uint8Array>, 200, headers);
  };
  const exportConversationRecordings: RouteHandler<typeof exportConversationRecordingsRoute, AppEnv> = recordingExportHandler(deps);

  return { listConversationMedia, getConversationMedia, exportConversationRecordings };
}
