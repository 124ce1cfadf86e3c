import pg from 'pg';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.js';
import { applyMigrations } from '../../src/db/migrate.js';

/**
 * A fresh, migrated database on a PostgreSQL server (the test suite's, a benchmark's), dropped again by
 * `drop()`; `handle` is a pool of `poolSize` connections to it, closed by `drop()` unless closed before.
 */
export async function createScratchDatabase(serverUrl: string, label: string, poolSize = 20): Promise<{ handle: DatabaseHandle; url: string; drop(): Promise<void> }> {
  const name = `recordkeeper_${label}_${process.pid}_${Date.now()}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const opened = openPostgres(url.toString(), poolSize);
  await applyMigrations(opened);
  let closing: Promise<void> | undefined;
  const handle: DatabaseHandle = { ...opened, close: () => (closing ??= opened.close()) };
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
