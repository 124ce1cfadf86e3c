import { describe, expect, it } from 'vitest';
import { MAX_FRONTEND_PORT, MAX_MEMBERSHIP_PORT, parseServerArguments, portsFrom, startTemporalServer, temporalDatabases } from '../../scripts/temporal-server.js';

/**
 * The full Temporal server records each service's membership port in a smallint column; a port above 32767
 * made it exit at start (and `npm run test:stack` fail when it drew such ports). The scripts refuse them up front.
 */
describe("the Temporal server's ports", () => {
  it('stop at 32758 for --port, so that the nine ports after it fit a smallint', () => {
    expect(MAX_FRONTEND_PORT).toBe(32_758);
    expect(Object.values(portsFrom(MAX_FRONTEND_PORT)).every((port) => port <= MAX_MEMBERSHIP_PORT)).toBe(true);
    expect(parseServerArguments(['--port', String(MAX_FRONTEND_PORT)]).ports.frontend).toBe(MAX_FRONTEND_PORT);
    expect(() => parseServerArguments(['--port', String(MAX_FRONTEND_PORT + 1)])).toThrow(/--port must be a port number from 1 to 32758/);
  });

  it('are refused before the server starts when a membership port would not fit', async () => {
    await expect(
      startTemporalServer({
        binary: '/nonexistent/temporal-server',
        stateDir: '/nonexistent',
        config: { databases: temporalDatabases('postgres://postgres@127.0.0.1:5432/postgres'), ports: portsFrom(38_499), maxConnections: { main: 1, visibility: 1 }, logLevel: 'warn' },
        log: () => undefined,
      }),
    ).rejects.toThrow(/must be at most 32767 \(it stores them as a smallint\)/);
  });
});
