import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * `npm run token:create` while the engine runs: the embedded database admits one process, so the command
 * asks the running engine over a Unix socket under the data folder. Only the folder's owner can connect
 * (mode 0600), the same people who could read the database files themselves.
 */
export interface TokenSocketRequest {
  user: Record<string, unknown>;
  tokenName: string;
  expiresInDays: number;
}

export type TokenSocketAnswer =
  | { ok: true; userCreated: boolean; username: string; userId: string; roles: string[]; tokenName: string; expiresAt: string; token: string }
  | { ok: false; error: string };

/** Unix socket paths are limited to about 107 bytes; a longer data folder path gets no socket. */
const MAX_SOCKET_PATH = 100;

export function tokenSocketPath(dataDir: string): string | null {
  const socket = path.resolve(dataDir, 'engine.sock');
  return Buffer.byteLength(socket) <= MAX_SOCKET_PATH ? socket : null;
}

/** Serves token requests, one JSON line in, one out, until `close()`; a stale socket of a crashed engine is replaced. */
export async function serveTokenSocket(socketPath: string, handle: (request: TokenSocketRequest) => Promise<TokenSocketAnswer>): Promise<{ close(): Promise<void> }> {
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((connection) => {
    let buffered = '';
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > 64 * 1024) connection.destroy();
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline);
      void (async () => {
        let answer: TokenSocketAnswer;
        try {
          answer = await handle(JSON.parse(line) as TokenSocketRequest);
        } catch (error) {
          answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
        }
        connection.end(`${JSON.stringify(answer)}\n`);
      })();
    });
    connection.on('error', () => connection.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Asks a running engine for a token; undefined when no engine listens on the socket. */
export function requestTokenFromEngine(socketPath: string, request: TokenSocketRequest, timeoutMs = 10_000): Promise<TokenSocketAnswer | undefined> {
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(socketPath)) return resolve(undefined);
    const connection = net.createConnection(socketPath);
    let answered = '';
    const timer = setTimeout(() => connection.destroy(new Error(`the engine did not answer within ${timeoutMs} ms`)), timeoutMs);
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(`${JSON.stringify(request)}\n`));
    connection.on('data', (chunk: string) => (answered += chunk));
    connection.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(answered) as TokenSocketAnswer);
      } catch {
        reject(new Error('the engine answered something that is not a token answer'));
      }
    });
    connection.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // A socket file left by an engine that crashed: nobody listens.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
  });
}
