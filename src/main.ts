import path from 'node:path';
import { auditAnchorTarget, closeServer, onShutdownSignal, openMigratedDatabase, startApi, startTokenSocket } from './bootstrap.js';
import { ensureFirstAdmin, retireFirstAdminTokenFile } from './identity/first-admin.js';
import { loadConfig } from './config.js';
import { startDevServer, type RunningDevServer } from './devserver/dev-server.js';
import { ensureTemporalCli } from './devserver/temporal-cli.js';
import { createLogger } from './lib/logger.js';
import { settleMediaRemovals } from './media/media-removal.js';
import { openMediaStore } from './storage/open-media-store.js';
import { connectTemporal } from './temporal/connection.js';
import { createLifecycleWorker } from './temporal/worker.js';
import { createMailer } from './notify/mailer.js';
import { ensureAuditCheckpointSchedule, ensureMediaLockReconcileSchedule, ensureMediaRemovalSweepSchedule, ensureNotificationDispatcher, ensureRecordingFetchSchedule, ensureRetentionSweepSchedule } from './temporal/schedules.js';

/**
 * `npm start`: API and worker in one process. With no configuration it runs on embedded defaults: PGlite
 * and a Temporal dev server, both keeping their files under DATA_DIR, so a restart resumes every workflow.
 */
const config = loadConfig();
const logger = createLogger(config.logLevel, 'main');

const database = await openMigratedDatabase(config, logger);
let devServer: RunningDevServer | undefined;
let address = config.temporal.address;
if (!address) {
  const cliPath = await ensureTemporalCli({ explicitPath: config.tools.temporalCli, cacheDir: config.tools.cacheDir, log: (line) => logger.info(line) });
  devServer = await startDevServer({
    cliPath,
    port: config.temporal.devPort,
    uiPort: config.temporal.devUiPort,
    namespace: config.temporal.namespace,
    dbFile: path.join(config.dataDir, 'temporal.db'),
    log: (line) => logger.info(line),
  });
  address = devServer.address;
  logger.info('temporal dev server started', { address, ui: devServer.uiUrl });
}

const temporal = await connectTemporal(address, config.temporal.namespace);
const mail = createMailer(config.mail);
const auditAnchor = auditAnchorTarget(config, logger);
logger.info(mail.description);
const media = await openMediaStore(config, logger);
const { worker, connection } = await createLifecycleWorker({
  address,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  tuning: config.worker,
  deps: { db: database.db, media, archiveRoot: config.archiveRoot, mailer: mail.mailer, exports: config.exports, auditAnchor, recordingFetch: config.recordingFetch },
});
const workerRun = worker.run();
await ensureAuditCheckpointSchedule(temporal.client, config.temporal.taskQueue);
await ensureRetentionSweepSchedule(temporal.client, config.temporal.taskQueue);
await ensureRecordingFetchSchedule(temporal.client, config.temporal.taskQueue, config.recordingFetch.intervalSeconds);
await ensureMediaRemovalSweepSchedule(temporal.client, config.temporal.taskQueue);
await ensureMediaLockReconcileSchedule(temporal.client, config.temporal.taskQueue);
// Files a crash left queued after their disposal committed go before this process serves anything else.
await settleMediaRemovals(database.db, media).then(
  (swept) => logger.info('media removal sweep at start-up', { ...swept }),
  (error: unknown) => logger.warn('media removal sweep at start-up failed; its schedule tries again', { error: String(error) }),
);
await ensureNotificationDispatcher(temporal.client, config.temporal.taskQueue, { pollSeconds: config.mail.pollSeconds });
const { server, url } = await startApi(config, database, temporal, media);
const tokenSocket = await startTokenSocket(config, database, logger);
await retireFirstAdminTokenFile(database.db, config.dataDir);
const firstAdmin = await ensureFirstAdmin(database.db, config.dataDir, {
  actor: { type: 'system', id: 'first-run', username: 'first-run', fullName: 'First start of the engine (npm start)' },
  correlationId: `first-run-${Date.now()}`,
});

logger.info('recordkeeper started', {
  api: url,
  openapi: `${url}/openapi.json`,
  console: `${url}/console/`,
  temporalUi: devServer?.uiUrl ?? null,
  database: database.location,
});
const tokenCommand = 'npm run token:create -- --username <name> --full-name "Your Name" --role <role>';
process.stdout.write(
  `\nRecordkeeper is running.\n  API:          ${url}\n  OpenAPI:      ${url}/openapi.json\n` +
    `  Reference:    ${url}/docs\n` +
    `  Console:      ${url}/console/ (sign in with an API token)\n` +
    (devServer ? `  Temporal UI:  ${devServer.uiUrl}\n` : '') +
    `  Data:         ${config.dataDir}\n` +
    `  Mail:         ${mail.description}\n` +
    (firstAdmin.created
      ? `\nFirst start: created the user "admin" (role admin). Its API token, shown only this once (also in\n` +
        `${firstAdmin.file}, mode 0600, until admin makes another token):\n\n${firstAdmin.token}\n\n` +
        `Try: curl -H "Authorization: Bearer <token>" ${url}/v1/me\n`
      : firstAdmin.file
        ? `  First token:  in ${firstAdmin.file} until admin makes another token\n`
        : '') +
    `  More tokens:  ${tokenCommand}${tokenSocket ? ' (works while the engine runs)' : ''}\n` +
    `Press Ctrl+C to stop.\n\n`,
);

onShutdownSignal(logger, async () => {
  await closeServer(server);
  await tokenSocket?.close();
  // The Temporal runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  await connection.close();
  await temporal.close();
  await devServer?.stop();
  await database.close();
});
