import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a real server that breaks the download of chosen paths: it sends the real
 * status and headers (Content-Length included), half the body, then drops the connection, as a flaky
 * network or a crashed storage node does. Everything else passes through unchanged (signatures stay valid:
 * the Host header is forwarded as the client signed it).
 */
export async function startCuttingProxy(upstream: string, cut: (path: string) => boolean): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const forwarded = http.request(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        if (request.method !== 'GET' || !cut(decodeURIComponent(request.url ?? '')) || answer.statusCode !== 200) {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          response.writeHead(200, answer.headers);
          response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.socket?.destroy());
        });
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
