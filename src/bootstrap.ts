import { randomUUID } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp } from './api/app.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { applyMigrationsAsOwner } from './db/migrate.js';
import { describeRuntimeRole } from './db/runtime-role.js';
import fs from 'node:fs';
import type { AnchorTarget } from './audit/anchor/anchor-writer.js';
import { loadOrCreateSigningKey, publicKeyFileOf } from './audit/anchor/signing-key.js';
import { issueTokenForUser } from './identity/bootstrap-token.js';
import { retireFirstAdminTokenFile } from './identity/first-admin.js';
import { serveTokenSocket, tokenSocketPath, type TokenSocketAnswer } from './identity/token-socket.js';
import { newUserSchema, tokenLifetimeDaysSchema } from './identity/user-input.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createMediaStore, type MediaStore } from './media/media-store.js';
import type { TemporalHandle } from './temporal/connection.js';

/** Wiring shared by the entry points; each entry point decides which parts it runs. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<DatabaseHandle> {
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (config.migrateOnStart) await applyMigrationsAsOwner(handle, config);
  const migratedAs = config.migrateOnStart && config.migrationDatabaseUrl ? new URL(config.migrationDatabaseUrl).username : undefined;
  logger.info('database ready', { kind: handle.kind, location: handle.location, migrated: config.migrateOnStart, migratedAs });
  // PGlite has one role, a superuser: the split applies to PostgreSQL deployments only.
  if (handle.kind === 'postgres') await warnIfRuntimeRoleIsPrivileged(handle, logger);
  return handle;
}

async function warnIfRuntimeRoleIsPrivileged(handle: DatabaseHandle, logger: Logger): Promise<void> {
  const runtime = await describeRuntimeRole(handle.db);
  if (!runtime.superuser && !runtime.ownsAuditLog) return;
  logger.warn(
    'the engine connects as a database role that can switch off the guards of the audit tables (their append-only triggers): run it as a role in recordkeeper_runtime and migrate with MIGRATION_DATABASE_URL, see the README section "Security: database roles"',
    { role: runtime.role, superuser: runtime.superuser, ownsAuditLog: runtime.ownsAuditLog },
  );
}

export function startApi(config: Config, database: DatabaseHandle, temporal: TemporalHandle, media?: MediaStore): Promise<{ server: ServerType; url: string }> {
  const app = createApp({
    db: database.db,
    temporal: { client: temporal.client, taskQueue: config.temporal.taskQueue },
    media: media ?? createMediaStore(config.mediaRoot),
    logger: createLogger(config.logLevel, 'http'),
    http: config.http,
    oidc: config.oidc,
    console: { ...config.console, temporalNamespace: config.temporal.namespace },
    archiveRoot: config.archiveRoot,
    exports: config.exports,
    dataDir: config.dataDir,
    auditAnchors: auditAnchorsToVerify(config),
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

/**
 * Lets `npm run token:create` issue tokens while this engine holds the database (src/identity/token-socket.ts).
 * Audited as the command, as when it opens the database itself. Null when the data folder's path is too long.
 */
export async function startTokenSocket(config: Config, database: DatabaseHandle, logger: Logger): Promise<{ close(): Promise<void> } | null> {
  const socketPath = tokenSocketPath(config.dataDir);
  if (!socketPath) {
    logger.warn('data folder path too long for a local socket: npm run token:create needs the engine stopped', { dataDir: config.dataDir });
    return null;
  }
  return serveTokenSocket(socketPath, async (request): Promise<TokenSocketAnswer> => {
    const user = newUserSchema.safeParse(request.user);
    const expiresInDays = tokenLifetimeDaysSchema.safeParse(request.expiresInDays);
    if (!user.success || !expiresInDays.success) return { ok: false, error: [...(user.error?.issues ?? []), ...(expiresInDays.error?.issues ?? [])].map((issue) => `${issue.path.join('.') || 'expiresInDays'}: ${issue.message}`).join('; ') };
    const issued = await issueTokenForUser(
      database.db,
      { user: user.data, tokenName: String(request.tokenName || 'token:create').slice(0, 200), expiresInDays: expiresInDays.data },
      {
        actor: { type: 'system', id: 'token:create', username: 'token:create', fullName: 'Bootstrap command (npm run token:create)' },
        correlationId: `token-create-${randomUUID()}`,
      },
    );
    await retireFirstAdminTokenFile(database.db, config.dataDir);
    return {
      ok: true,
      userCreated: issued.userCreated,
      username: issued.user.username,
      userId: issued.user.id,
      roles: issued.user.roles,
      tokenName: issued.row.name,
      expiresAt: issued.row.expiresAt.toISOString(),
      token: issued.token,
    };
  });
}

/** The workers' anchor target: the signing key (created on first start, and said so) and the anchors' folder. */
export function auditAnchorTarget(config: Config, logger: Logger): AnchorTarget {
  const { key, created } = loadOrCreateSigningKey(config.auditAnchors.signingKeyFile);
  const facts = { keyFile: config.auditAnchors.signingKeyFile, keyId: key.keyId, anchors: config.auditAnchors.dir };
  if (created) logger.warn('created the audit anchor signing key: keep a copy of its key id (and public key) apart from this machine', facts);
  else logger.info('audit anchors are signed', facts);
  return { dir: config.auditAnchors.dir, key };
}

/** What the API compares the log with: the anchors and the public key, where this process can read them. */
function auditAnchorsToVerify(config: Config): { dir: string; publicKeyPem: string } | undefined {
  const publicKeyFile = publicKeyFileOf(config.auditAnchors.signingKeyFile);
  if (!fs.existsSync(publicKeyFile)) return undefined;
  return { dir: config.auditAnchors.dir, publicKeyPem: fs.readFileSync(publicKeyFile, 'utf8') };
}
