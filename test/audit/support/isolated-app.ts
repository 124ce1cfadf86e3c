import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../../src/api/app.js';
import type { Role } from '../../../src/domain/roles.js';
import { openPglite, openPostgres, type DatabaseHandle } from '../../../src/db/client.js';
import { applyMigrations } from '../../../src/db/migrate.js';
import type { Harness, HttpCall } from '../../support/harness.js';
import { createIdentity } from '../../support/identities.js';

export interface IsolatedApp {
  db: DatabaseHandle['db'];
  /** Calls the app with a token of a new user holding these roles. */
  as(roles: Role | readonly Role[]): Promise<HttpCall>;
  close(): Promise<void>;
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own (created on the run's server, migrated, dropped afterwards) with the real app on
 * it, for tests that break the audit chain on purpose: other test files share the run's database, and
 * its chain must verify at all times.
 */
export async function createIsolatedApp(harness: Harness): Promise<IsolatedApp> {
  const runUrl = inject('databaseUrl');
  let handle: DatabaseHandle;
  let dropDatabase = async (): Promise<void> => undefined;
  if (runUrl) {
    const name = `recordkeeper_audit_${randomUUID().replaceAll('-', '')}`;
    await adminQuery(runUrl, `create database ${name}`);
    const url = new URL(runUrl);
    url.pathname = `/${name}`;
    handle = openPostgres(url.toString(), 4);
    dropDatabase = () => adminQuery(runUrl, `drop database if exists ${name} with (force)`);
  } else {
    handle = await openPglite(undefined);
  }
  await applyMigrations(handle);

  const app = createApp({ db: handle.db, temporal: { client: harness.client, taskQueue: harness.taskQueue }, media: harness.media });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    db: handle.db,
    async as(roles) {
      const { token } = await createIdentity(handle.db, roles);
      return async (method, path, body, headers = {}) => {
        const response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: keep the text.
        }
        return { status: response.status, body: parsed, headers: response.headers };
      };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
      await dropDatabase();
    },
  };
}
