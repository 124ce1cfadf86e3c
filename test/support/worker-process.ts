import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Harness } from './harness.js';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  /** SIGKILL: no shutdown, no draining, no goodbye to Temporal or PostgreSQL. */
  kill(): Promise<void>;
  /** Settles when the process has ended, however it ended. */
  exited: Promise<void>;
}

/**
 * The production worker entry point (`src/worker.ts`) in a process of its own, on the harness's task queue,
 * database and media, so a test can kill it the way a crash or an OOM killer would.
 */
export async function startWorkerProcess(harness: Harness, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<WorkerProcess> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const databaseUrl = inject('databaseUrl');
  if (!databaseUrl) throw new Error('a worker process needs the PostgreSQL server: PGlite lives inside one process');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: harness.taskQueue,
      MEDIA_ROOT: harness.media.root,
      ARCHIVE_ROOT: harness.archiveRoot,
      // Beside the harness's media, never in the repository's ./data.
      AUDIT_SIGNING_KEY_FILE: path.join(`${harness.media.root}-audit`, 'audit-signing-key.pem'),
      AUDIT_ANCHOR_DIR: path.join(`${harness.media.root}-audit`, 'anchors'),
      MIGRATE_ON_START: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"worker started"')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited with ${code} before it was ready:\n${output}`));
    });
  });
  return {
    exited,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
