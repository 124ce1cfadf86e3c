import { loadOrCreateSigningKey } from '../src/audit/anchor/signing-key.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';

/**
 * `npm run db:migrate`: what a deployment runs once before its engine processes start (the Helm chart's
 * migration Job): apply pending migrations as the tables' owner (MIGRATION_DATABASE_URL, else DATABASE_URL),
 * then create the audit signing key if missing, here because processes starting side by side on a shared
 * volume would each create a different one.
 */
const config = loadConfig();
if (!config.migrationDatabaseUrl) {
  process.stderr.write('db:migrate needs MIGRATION_DATABASE_URL or DATABASE_URL (the embedded database migrates itself on start)\n');
  process.exit(2);
}
const owner = openPostgres(config.migrationDatabaseUrl, 1);
try {
  await applyMigrations(owner);
} finally {
  await owner.close();
}
const signingKey = loadOrCreateSigningKey(config.auditAnchors.signingKeyFile);
process.stdout.write(
  `migrated ${owner.location}; audit signing key ${signingKey.created ? 'created' : 'present'} at ${config.auditAnchors.signingKeyFile}\n`,
);
