import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { inject } from 'vitest';
import { createApp } from '../../src/api/app.js';
import type { ApiDeps } from '../../src/api/deps.js';
import type { Role } from '../../src/domain/roles.js';
import { openPglite, type DatabaseHandle } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { httpCall, type Harness, type HttpCall } from './harness.js';
import { createScratchDatabase } from './scratch-database.js';
import { createIdentity } from './identities.js';

export interface IsolatedApp {
  db: DatabaseHandle['db'];
  /** The database's URL; null on the in-memory PGlite fallback. */
  url: string | null;
  /** Calls the app with a token of a new user holding these roles. */
  as(roles: Role | readonly Role[]): Promise<HttpCall>;
  close(): Promise<void>;
}

/**
 * A database of its own (created on the run's server, migrated, dropped afterwards) with the real app on
 * it, for tests that break the audit chain on purpose: other test files share the run's database, and
 * its chain must verify at all times.
 */
export async function createIsolatedApp(harness: Harness, extra: Partial<ApiDeps> = {}): Promise<IsolatedApp> {
  const runUrl = inject('databaseUrl');
  let handle: DatabaseHandle;
  let dropDatabase = async (): Promise<void> => undefined;
  let url: string | null = null;
  if (runUrl) {
    const scratch = await createScratchDatabase(runUrl, 'audit', 4);
    handle = scratch.handle;
    dropDatabase = scratch.drop;
    url = scratch.url;
  } else {
    handle = await openPglite(undefined);
    await applyMigrations(handle);
  }

  const app = createApp({ db: handle.db, temporal: { client: harness.client, taskQueue: harness.taskQueue }, media: harness.media, ...extra });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db: handle.db,
    url,
    async as(roles) {
      const { token } = await createIdentity(handle.db, roles);
      return httpCall(baseUrl, token);
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
      await dropDatabase();
    },
  };
}
