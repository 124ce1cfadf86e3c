import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/config.js';
import { createScratchDatabase } from '../support/scratch-database.js';
import { ensureTemporalCli } from '../../src/devserver/temporal-cli.js';
import { workflowsPath } from '../../src/temporal/worker.js';
import { ensureChromium } from '../../scripts/setup-browser.js';
import { ensureVersitygw } from '../../scripts/versitygw.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** Null when no PostgreSQL server answered: each test file then runs on its own in-memory PGlite. */
    databaseUrl: string | null;
    workflowBundlePath: string;
  }
}

async function postgresReachable(adminUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function setup(project: TestProject) {
  const config = parseConfig(process.env);
  const log = (line: string) => process.stderr.write(`[setup] ${line}\n`);

  // The console's tests drive a real browser; installed here once per machine, not by each test file.
  ensureChromium(log);
  // The S3 tests' server: a first build takes minutes, more than a test hook may; alongside the CLI's.
  const s3Server = ensureVersitygw({ cacheDir: config.tools.cacheDir, log }).catch((error: Error) => log(`${error.message} (only the S3 tests need it; they fail with this)`));
  const cliPath = await ensureTemporalCli({ explicitPath: config.tools.temporalCli, cacheDir: config.tools.cacheDir, log });
  await s3Server;
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: cliPath },
      ip: '127.0.0.1',
      // Speed over durability: the test server's SQLite file is thrown away after the run.
      extraArgs: ['--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF', '--log-level', 'error'],
    },
  });
  const temporalAddress = environment.connection.options.address;

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-test-'));
  const bundle = await bundleWorkflowCode({ workflowsPath, logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (m) => log(m), error: (m) => log(m) } });
  const workflowBundlePath = path.join(scratch, 'workflow-bundle.js');
  fs.writeFileSync(workflowBundlePath, bundle.code);

  let databaseUrl: string | null = null;
  let dropDatabase: () => Promise<void> = async () => undefined;
  if (await postgresReachable(config.testPostgresUrl)) {
    const scratchDatabase = await createScratchDatabase(config.testPostgresUrl, 'test', 2);
    await scratchDatabase.handle.close();
    databaseUrl = scratchDatabase.url;
    dropDatabase = scratchDatabase.drop;
    log(`PostgreSQL database ${new URL(databaseUrl).pathname.slice(1)} created on ${new URL(config.testPostgresUrl).host}`);
  } else {
    log(`No PostgreSQL server answered at ${new URL(config.testPostgresUrl).host}: falling back to in-memory PGlite per test file.`);
  }

  project.provide('temporalAddress', temporalAddress);
  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await environment.teardown();
    await dropDatabase();
    fs.rmSync(scratch, { recursive: true, force: true });
  };
}
