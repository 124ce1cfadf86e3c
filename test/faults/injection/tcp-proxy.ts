import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones (accepted, then reset) for `ms`, as a restarting server does. */
  refuseFor(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of PostgreSQL, so the suite can make the server "refuse connections for a few seconds"
 * without stopping the PostgreSQL server other work on this machine shares.
 */
export async function startTcpProxy(upstream: { host: string; port: number }): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let refusingUntil = 0;
  const server = net.createServer((client) => {
    if (Date.now() < refusingUntil) {
      client.resetAndDestroy();
      return;
    }
    const server = net.connect(upstream);
    open.add(client).add(server);
    const close = () => {
      client.destroy();
      server.destroy();
      open.delete(client);
      open.delete(server);
    };
    client.on('error', close).on('close', close);
    server.on('error', close).on('close', close);
    client.pipe(server).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    async refuseFor(ms) {
      refusingUntil = Date.now() + ms;
      for (const socket of open) socket.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
