import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RouteHandler } from '@hono/zod-openapi';
import { auditedCall } from '../../audit/write/audited.js';
import { appendAudit, syncEntry } from '../../audit/write/audit-writer.js';
import { MAX_CLIENT_COPY_CONVERSATIONS, filesByKind, findClientConversations, planClientCopy, type ClientIdentifiers } from '../../exports/client-copy.js';
import { tarStream } from '../../lib/tar.js';
import { MediaIntegrityError, MediaNotFoundError } from '../../media/media-errors.js';
import type { AppEnv } from '../context.js';
import type { ApiDeps } from '../deps.js';
import { readConversation } from '../conversations/read-conversation.js';
import { ProblemError } from '../problem.js';
import { requestContext } from '../request-context.js';
import type { postClientCopyRoute } from './routes.js';

/** Every chat message goes into the copy's record, not a page of them (the transcript media is in it too). */
const ALL_MESSAGES = { limit: 1_000_000, after: null };

export function clientCopyHandlers(deps: ApiDeps) {
  const postClientCopy: RouteHandler<typeof postClientCopyRoute, AppEnv> = async (c) => {
    const body = c.req.valid('json');
    const client: ClientIdentifiers = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    const context = requestContext(c);
    const copyId = randomUUID();
    const planned = await auditedCall(
      deps.db,
      { ...context, activity: 'CLIENT_COPY_EXPORT', description: `Client copy ${copyId} requested`, details: { clientCopyId: copyId, identifiers: Object.keys(client) } },
      async () => {
        const found = await findClientConversations(deps.db, client);
        if (found.length > MAX_CLIENT_COPY_CONVERSATIONS) {
          throw new ProblemError(422, 'Too many conversations for one copy', {
            detail: `More than ${MAX_CLIENT_COPY_CONVERSATIONS} conversations match; request the copy one identifier at a time`,
            errors: [{ pointer: '', field: '(body)', message: `matches more than ${MAX_CLIENT_COPY_CONVERSATIONS} conversations` }],
          });
        }
        try {
          const value = await planClientCopy(deps, { copyId, client, requestedBy: context.actor.username, createdAt: new Date() }, found, (id) => readConversation(deps.db, id, ALL_MESSAGES));
          // One entry per conversation, so each one's trace shows that (and to whom) it was disclosed.
          await appendAudit(
            deps.db,
            found.map((conversation) =>
              syncEntry({
                activity: 'CONVERSATION_DISCLOSED',
                result: 'OK',
                actor: context.actor,
                correlationId: context.correlationId,
                conversationId: conversation.id,
                description: `Conversation ${conversation.id} included in client copy ${copyId}`,
                details: { clientCopyId: copyId, manifestSha256: value.manifestSha256, files: value.files.filter((file) => file.conversationId === conversation.id).length },
              }),
            ),
          );
          return {
            value,
            details: { conversationIds: found.map((conversation) => conversation.id), files: filesByKind(value.files), manifestSha256: value.manifestSha256 },
          };
        } catch (error) {
          if (error instanceof MediaIntegrityError || error instanceof MediaNotFoundError) throw new ProblemError(500, 'Media integrity violation', { detail: error.message });
          throw error;
        }
      },
    );
    return c.body(Readable.toWeb(tarStream(planned.entries)) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/x-tar',
      'content-disposition': `attachment; filename="client-copy-${copyId}.tar"`,
      'cache-control': 'private, no-store',
      'x-client-copy-id': copyId,
      'x-manifest-sha256': planned.manifestSha256,
    });
  };
  return { postClientCopy };
}
