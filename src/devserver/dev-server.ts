import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file that keeps workflows across restarts; undefined runs in memory. */
  dbFile: string | undefined;
  log: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited with code ${child.exitCode} while starting`);
    if (await portAcceptsConnections(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Temporal dev server did not listen on port ${port} within ${timeoutMs} ms`);
}

/**
 * Runs `temporal server start-dev`. SQLite pragmas trade crash-durability of the dev server's own
 * file for speed; production runs the full server on PostgreSQL (docker-compose.yml).
 */
export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  if (await portAcceptsConnections(options.port)) {
    throw new Error(
      `Port ${options.port} is already in use; stop the process there, set TEMPORAL_DEV_PORT, or point TEMPORAL_ADDRESS at a running server.`,
    );
  }
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(options.port),
    '--ui-port', String(options.uiPort),
    '--namespace', options.namespace,
    '--log-level', 'warn',
    '--sqlite-pragma', 'journal_mode=WAL',
    '--sqlite-pragma', 'synchronous=NORMAL',
  ];
  if (options.dbFile) {
    fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Never leave a dev server behind, whichever way this process ends.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.removeListener('exit', killChild));
  // Once asked to stop, the server's complaints about its own closing connections are noise.
  let stopping = false;
  const forward = (chunk: Buffer) => {
    if (stopping) return;
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(`[temporal] ${line}`);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  await waitForPort(options.port, child, 60_000);
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
