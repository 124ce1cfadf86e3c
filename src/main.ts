import path from 'node:path';
import { closeServer, onShutdownSignal, openMigratedDatabase, startApi } from './bootstrap.js';
import { loadConfig } from './config.js';
import { startDevServer, type RunningDevServer } from './devserver/dev-server.js';
import { ensureTemporalCli } from './devserver/temporal-cli.js';
import { createLogger } from './lib/logger.js';
import { createMediaStore } from './media/media-store.js';
import { connectTemporal } from './temporal/connection.js';
import { createLifecycleWorker } from './temporal/worker.js';
import { createMailer } from './notify/mailer.js';
import { ensureAuditCheckpointSchedule, ensureNotificationDispatcher, ensureRetentionSweepSchedule } from './temporal/schedules.js';

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
logger.info(mail.description);
const { worker, connection } = await createLifecycleWorker({
  address,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  deps: { db: database.db, media: createMediaStore(config.mediaRoot), archiveRoot: config.archiveRoot, mailer: mail.mailer },
});
const workerRun = worker.run();
await ensureAuditCheckpointSchedule(temporal.client, config.temporal.taskQueue);
await ensureRetentionSweepSchedule(temporal.client, config.temporal.taskQueue);
await ensureNotificationDispatcher(temporal.client, config.temporal.taskQueue, { pollSeconds: config.mail.pollSeconds });
const { server, url } = await startApi(config, database, temporal);

logger.info('recordkeeper started', {
  api: url,
  openapi: `${url}/openapi.json`,
  temporalUi: devServer?.uiUrl ?? null,
  database: database.location,
});
process.stdout.write(
  `\nRecordkeeper is running.\n  API:          ${url}\n  OpenAPI:      ${url}/openapi.json\n` +
    `  Reference:    ${url}/docs\n` +
    (devServer ? `  Temporal UI:  ${devServer.uiUrl}\n` : '') +
    `  Data:         ${config.dataDir}\n` +
    `  Mail:         ${mail.description}\n` +
    // The embedded database files can be open in one process only, so the token command waits for a stop.
    `  API token:    ${config.databaseUrl ? '' : 'stop the engine, then '}npm run token:create -- --username admin --full-name "Your Name" --role admin\n` +
    `Press Ctrl+C to stop.\n\n`,
);

onShutdownSignal(logger, async () => {
  await closeServer(server);
  // The Temporal runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  await connection.close();
  await temporal.close();
  await devServer?.stop();
  await database.close();
});
