import { fileURLToPath } from 'node:url';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { openPostgres, type DatabaseHandle } from './client.js';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Arbitrary constant: the advisory lock that keeps two starting processes from migrating at once. */
const MIGRATION_LOCK_KEY = 7_305_001;

export async function applyMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(drizzlePglite({ client: handle.client }), { migrationsFolder });
    return;
  }
  // Lock, migrate and unlock must share one connection: a session-level advisory lock belongs to it.
  const connection = await handle.pool.connect();
  try {
    await connection.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migrateNodePg(drizzleNodePg({ client: connection }), { migrationsFolder });
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    connection.release();
  }
}

/**
 * Applies migrations as the tables' owner: on a short-lived pool of `migrationDatabaseUrl` when it differs from
 * `databaseUrl`, the engine's own role (README "Security: database roles"), else on `handle` itself.
 */
export async function applyMigrationsAsOwner(
  handle: DatabaseHandle,
  urls: { databaseUrl: string | undefined; migrationDatabaseUrl: string | undefined },
): Promise<void> {
  if (handle.kind === 'pglite' || !urls.migrationDatabaseUrl || urls.migrationDatabaseUrl === urls.databaseUrl) return applyMigrations(handle);
  const owner = openPostgres(urls.migrationDatabaseUrl, 1);
  try {
    await applyMigrations(owner);
  } finally {
    await owner.close();
  }
}
