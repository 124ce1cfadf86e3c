import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { MailAttachment } from './mailer.js';
import type { OutboxAttachment } from './outbox.js';

/** The file is not the one the row names (changed, truncated, grown): sending it would send something else. */
export class AttachmentRefused extends Error {
  override name = 'AttachmentRefused';
}

/**
 * Reads an outbox row's file through a SHA-256 and keeps the bytes it hashed, so what is attached is exactly
 * what was checked (a file changed after the check cannot slip in). Reading stops as soon as the file is
 * longer than the row says. A relative path is taken inside `root` (the exports folder).
 */
export async function readVerifiedAttachment(attachment: OutboxAttachment, root?: string): Promise<MailAttachment> {
  const file = path.isAbsolute(attachment.path) ? attachment.path : root ? path.resolve(root, attachment.path) : undefined;
  if (!file) throw new AttachmentRefused(`attachment ${attachment.fileName}: relative path ${attachment.path} and no folder to resolve it in`);
  if (root && !path.isAbsolute(attachment.path) && !file.startsWith(path.resolve(root) + path.sep)) {
    throw new AttachmentRefused(`attachment ${attachment.fileName}: ${attachment.path} lies outside the exports folder`);
  }
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > attachment.sizeBytes) {
      throw new AttachmentRefused(`attachment ${attachment.fileName} refused: the file is larger than the ${attachment.sizeBytes} bytes recorded`);
    }
    hash.update(chunk);
    chunks.push(chunk);
  }
  const digest = hash.digest('hex');
  if (size !== attachment.sizeBytes || digest !== attachment.sha256.toLowerCase()) {
    throw new AttachmentRefused(
      `attachment ${attachment.fileName} refused: SHA-256 ${digest} (${size} bytes) differs from the recorded ${attachment.sha256} (${attachment.sizeBytes} bytes); the file has changed since it was written`,
    );
  }
  return { fileName: attachment.fileName, mediaType: attachment.mediaType, content: Buffer.concat(chunks, size) };
}
