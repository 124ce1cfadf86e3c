import { auditAnchorTarget, onShutdownSignal, openMigratedDatabase } from './bootstrap.js';
import { loadConfig } from './config.js';
import { createLogger } from './lib/logger.js';
import { killAfterCommitInterceptors } from './lib/fault-points.js';
import { settleMediaRemovals } from './media/media-removal.js';
import { openMediaStore } from './storage/open-media-store.js';
import { createLifecycleWorker } from './temporal/worker.js';
import { createMailer } from './notify/mailer.js';
import { ensureAuditCheckpointSchedule, ensureMediaLockReconcileSchedule, ensureMediaRemovalSweepSchedule, ensureNotificationDispatcher, ensureRecordingFetchSchedule, ensureRetentionSweepSchedule } from './temporal/schedules.js';
import { Client } from '@temporalio/client';

/** Production worker: PostgreSQL and a Temporal server are given by DATABASE_URL and TEMPORAL_ADDRESS. */
const config = loadConfig();
const logger = createLogger(config.logLevel, 'worker');
if (!config.databaseUrl || !config.temporal.address) {
  logger.error('the worker runs on its own only with DATABASE_URL and TEMPORAL_ADDRESS set; use `npm start` for embedded defaults');
  process.exit(2);
}
const database = await openMigratedDatabase(config, logger);
const mail = createMailer(config.mail);
const auditAnchor = auditAnchorTarget(config, logger);
logger.info(mail.description);
const media = await openMediaStore(config, logger);
const { worker, connection } = await createLifecycleWorker({
  address: config.temporal.address,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  tuning: config.worker,
  activityInterceptors: killAfterCommitInterceptors(config.faults?.killAfterCommit ?? {}),
  deps: { db: database.db, media, archiveRoot: config.archiveRoot, mailer: mail.mailer, exports: config.exports, auditAnchor, recordingFetch: config.recordingFetch },
});
logger.info('worker started', { taskQueue: config.temporal.taskQueue, temporal: config.temporal.address, ...config.worker });
const run = worker.run();
const scheduleClient = new Client({ connection, namespace: config.temporal.namespace });
await ensureAuditCheckpointSchedule(scheduleClient, config.temporal.taskQueue);
await ensureRetentionSweepSchedule(scheduleClient, config.temporal.taskQueue);
await ensureRecordingFetchSchedule(scheduleClient, config.temporal.taskQueue, config.recordingFetch.intervalSeconds);
await ensureMediaRemovalSweepSchedule(scheduleClient, config.temporal.taskQueue);
await ensureMediaLockReconcileSchedule(scheduleClient, config.temporal.taskQueue);
// Files a crash left queued after their disposal committed go before this process serves anything else.
await settleMediaRemovals(database.db, media).then(
  (swept) => logger.info('media removal sweep at start-up', { ...swept }),
  (error: unknown) => logger.warn('media removal sweep at start-up failed; its schedule tries again', { error: String(error) }),
);
await ensureNotificationDispatcher(scheduleClient, config.temporal.taskQueue, { pollSeconds: config.mail.pollSeconds });
onShutdownSignal(logger, async () => {
  // The Temporal runtime also reacts to SIGINT/SIGTERM and may already be draining the worker.
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await run;
  await connection.close();
  await database.close();
});
