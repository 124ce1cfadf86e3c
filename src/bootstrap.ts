import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp } from './api/app.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { applyMigrations } from './db/migrate.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createMediaStore } from './media/media-store.js';
import type { TemporalHandle } from './temporal/connection.js';

/** Wiring shared by the entry points; each entry point decides which parts it runs. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (config.migrateOnStart) await applyMigrations(handle);
  logger.info('database ready', { kind: handle.kind, location: handle.location, migrated: config.migrateOnStart });
  return handle;
}

export function startApi(config: Config, database: DatabaseHandle, temporal: TemporalHandle): Promise<{ server: ServerType; url: string }> {
  const app = createApp({
    db: database.db,
    temporal: { client: temporal.client, taskQueue: config.temporal.taskQueue },
    media: createMediaStore(config.mediaRoot),
    logger: createLogger(config.logLevel, 'http'),
    http: config.http,
    oidc: config.oidc,
    archiveRoot: config.archiveRoot,
    probes: {
      postgres: async () => {
        await database.db.execute(sql`select 1`);
      },
      temporal: async () => {
        await temporal.client.workflowService.getSystemInfo({});
      },
    },
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: config.api.host, port: config.api.port }, (info) => {
      resolve({ server, url: `http://${config.api.host}:${info.port}` });
    });
  });
}

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Runs `shutdown` once on SIGINT or SIGTERM, then exits. */
export function onShutdownSignal(logger: Logger, shutdown: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    shutdown()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error('shutdown failed', { error: String(error) });
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}
