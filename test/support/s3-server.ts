import { spawn } from 'node:child_process';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type ObjectStoreConfig, type S3EndpointConfig } from '../../src/config.js';
import { createS3Client } from '../../src/recordings/s3-objects.js';
import { ensureVersitygw } from '../../scripts/versitygw.js';
import { freePort } from './free-port.js';

export interface S3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where the posix backend keeps buckets (a bucket is a folder, an object a file). */
  dataDir: string;
  stop(): Promise<void>;
}

async function waitForPort(port: number, child: { exitCode: number | null }, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`versitygw exited with ${child.exitCode}:\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`versitygw did not listen on ${port} within 20 s:\n${output()}`);
}

/**
 * A real S3-compatible server (versitygw, posix backend in a temporary folder) on a free port, with root
 * credentials. Versioning is enabled (`--versioning-dir`), which Object Lock needs.
 */
export async function startS3Server(): Promise<S3Server> {
  const config = parseConfig(process.env);
  const binary = await ensureVersitygw({ cacheDir: config.tools.cacheDir, log: (line) => process.stderr.write(`[s3] ${line}\n`) });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-s3-'));
  const dataDir = path.join(scratch, 'buckets');
  const versionsDir = path.join(scratch, 'versions');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(versionsDir);
  const port = await freePort();
  const accessKeyId = `root${Math.random().toString(36).slice(2, 10)}`;
  const secretAccessKey = `secret-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  const child = spawn(binary, ['--access', accessKeyId, '--secret', secretAccessKey, '--port', `127.0.0.1:${port}`, 'posix', '--versioning-dir', versionsDir, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  try {
    await waitForPort(port, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    accessKeyId,
    secretAccessKey,
    dataDir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** How the engine's config would name this server (path-style, root credentials). */
export function endpointConfigOf(server: S3Server): S3EndpointConfig {
  return { endpoint: server.endpoint, region: server.region, credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey }, forcePathStyle: true };
}

/**
 * Creates a bucket, with Object Lock enabled (which also turns versioning on) unless told otherwise, and
 * answers it as the engine's MEDIA_STORE=s3 configuration would.
 */
export async function createBucket(
  server: S3Server,
  bucket: string,
  options: { objectLock: boolean; lockMode?: ObjectStoreConfig['lockMode']; writeRetentionSeconds?: number },
): Promise<ObjectStoreConfig> {
  const endpoint = endpointConfigOf(server);
  const client = createS3Client(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: options.objectLock }));
  } finally {
    client.destroy();
  }
  // No retention by the write unless asked: most tests delete within seconds of writing.
  return { endpoint, bucket, lockMode: options.lockMode ?? 'COMPLIANCE', writeRetentionSeconds: options.writeRetentionSeconds ?? 0 };
}
