import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { S3EndpointConfig } from '../config.js';
import type { S3ObjectAddress } from './recording-locations.js';

/** A fetched object with where exactly it came from. */
export interface FetchedObject {
  content: Buffer;
  contentType: string | undefined;
  versionId: string | null;
  etag: string | null;
}

/**
 * Why an object was not fetched. `permanent` failures (too large) are not retried; everything else
 * (missing object, denied, network, a short read) may heal and is.
 */
export class ObjectFetchError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'ObjectFetchError';
  }
}

export interface ObjectSource {
  fetch(address: S3ObjectAddress, options: { maxBytes: number }): Promise<FetchedObject>;
  destroy(): void;
}

export function createS3Client(config: S3EndpointConfig): S3Client {
  return new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
  });
}

async function readAll(body: Readable, declared: number, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      received += buffer.byteLength;
      if (received > maxBytes) throw new ObjectFetchError(`object exceeds RECORDING_FETCH_MAX_BYTES (${maxBytes} bytes)`, true);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof ObjectFetchError) throw error;
    // A transfer cut short is a size mismatch as far as the recording is concerned: nothing is kept.
    throw new ObjectFetchError(`size mismatch: the transfer broke off after ${received} of ${declared} bytes (${error instanceof Error ? error.message : String(error)})`, false);
  }
  if (received !== declared) throw new ObjectFetchError(`size mismatch: received ${received} bytes, the object's ContentLength is ${declared}`, false);
  return Buffer.concat(chunks, received);
}

function describe(error: unknown, address: S3ObjectAddress): string {
  if (error instanceof S3ServiceException) {
    if (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404) return `object s3://${address.bucket}/${address.key} not found (${error.name})`;
    return `S3 refused the object s3://${address.bucket}/${address.key}: ${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})`;
  }
  // Network errors name host and port, never credentials.
  return `S3 did not answer for s3://${address.bucket}/${address.key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
}

/** Reads whole objects, verifying the bytes that arrived against the object's ContentLength. */
export function createObjectSource(config: S3EndpointConfig): ObjectSource {
  const client = createS3Client(config);
  return {
    async fetch(address, { maxBytes }) {
      let answer;
      try {
        answer = await client.send(new GetObjectCommand({ Bucket: address.bucket, Key: address.key }));
      } catch (error) {
        throw new ObjectFetchError(describe(error, address), false);
      }
      const body = answer.Body as Readable | undefined;
      const declared = answer.ContentLength;
      if (!body || declared === undefined) {
        (body as Readable | undefined)?.destroy();
        throw new ObjectFetchError(`S3 answered s3://${address.bucket}/${address.key} without a body or ContentLength`, false);
      }
      if (declared > maxBytes) {
        body.destroy();
        throw new ObjectFetchError(`object is ${declared} bytes, more than RECORDING_FETCH_MAX_BYTES (${maxBytes})`, true);
      }
      if (declared === 0) {
        body.destroy();
        throw new ObjectFetchError(`size mismatch: object s3://${address.bucket}/${address.key} is empty (0 bytes)`, false);
      }
      const content = await readAll(body, declared, maxBytes);
      return { content, contentType: answer.ContentType, versionId: answer.VersionId ?? null, etag: answer.ETag ?? null };
    },
    destroy: () => client.destroy(),
  };
}
