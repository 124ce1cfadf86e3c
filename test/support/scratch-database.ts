import pg from 'pg';
import { openPostgres, type DatabaseHandle } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';

/** A fresh, migrated database on the benchmark server, dropped again by `drop()`. */
export async function createScratchDatabase(serverUrl: string, label: string): Promise<{ handle: DatabaseHandle; url: string; drop(): Promise<void> }> {
  const name = `recordkeeper_bench_${label}_${process.pid}_${Date.now()}`;
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
  const handle = openPostgres(url.toString(), 20);
  await applyMigrations(handle);
  return {
    handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}
