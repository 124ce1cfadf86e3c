import { closeServer, onShutdownSignal, openMigratedDatabase, startApi } from './bootstrap.js';
import { loadConfig } from './config.js';
import { createLogger } from './lib/logger.js';
import { openMediaStore } from './storage/open-media-store.js';
import { connectTemporal } from './temporal/connection.js';

/** Production API: PostgreSQL and a Temporal server are given by DATABASE_URL and TEMPORAL_ADDRESS. */
const config = loadConfig();
const logger = createLogger(config.logLevel, 'api');
if (!config.databaseUrl || !config.temporal.address) {
  logger.error('the API runs on its own only with DATABASE_URL and TEMPORAL_ADDRESS set; use `npm start` for embedded defaults');
  process.exit(2);
}
const database = await openMigratedDatabase(config, logger);
const temporal = await connectTemporal(config.temporal.address, config.temporal.namespace);
const media = await openMediaStore(config, logger);
const { server, url } = await startApi(config, database, temporal, media);
logger.info('api started', { url });
onShutdownSignal(logger, async () => {
  await closeServer(server);
  await temporal.close();
  await database.close();
});
