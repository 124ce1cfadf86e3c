import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseConfig } from '../../src/config.js';
import { startStack, type RunningStack } from '../../scripts/stack.js';
import { MAX_MEMBERSHIP_PORT } from '../../scripts/temporal-server.js';
import { freePort } from '../support/free-port.js';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports (the Temporal server takes ten from its frontend port on), all at most
 * MAX_MEMBERSHIP_PORT, and below the kernel's ephemeral range (32768 on), where outgoing connections could take them.
 */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * (MAX_MEMBERSHIP_PORT - 20_000 - count));
    const free = await Promise.all(Array.from({ length: count }, (_, offset) => portIsFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

export interface StackFixture {
  stack: RunningStack;
  /** The first admin's token, made by the stack on its fresh database. */
  adminToken: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The whole `npm run stack` topology on databases of its own (dropped by `close`) and free ports: the full
 * Temporal server on PostgreSQL, two workers and two API processes.
 */
export async function startStackFixture(log: (line: string) => void): Promise<StackFixture> {
  const config = parseConfig(process.env);
  const label = `${process.pid}_${Date.now()}`;
  const database = `recordkeeper_stacktest_${label}`;
  const temporalPrefix = `temporal_stacktest_${label}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recordkeeper-stack-'));
  const dropAll = async () => {
    const admin = new pg.Client({ connectionString: config.testPostgresUrl });
    await admin.connect();
    try {
      for (const name of [database, temporalPrefix, `${temporalPrefix}_visibility`]) await admin.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end();
    }
  };
  let stack: RunningStack;
  try {
    stack = await startStack({
      postgresUrl: config.testPostgresUrl,
      database,
      temporalDatabasePrefix: temporalPrefix,
      runtimeLogin: 'recordkeeper_stack_app',
      dataDir,
      temporalPort: await freePortRange(10),
      apiPorts: [await freePort(), await freePort()],
      // The UI is for people; the test reads Temporal through its client.
      uiPort: null,
      workers: 2,
      namespace: 'default',
      taskQueue: 'recordkeeper',
      retentionDays: 1,
      cacheDir: config.tools.cacheDir,
      log,
    });
  } catch (error) {
    await dropAll().catch(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (!stack.firstAdmin.created) throw new Error('a fresh stack database should have made its first admin');
  return {
    stack,
    adminToken: stack.firstAdmin.token,
    dataDir,
    async close() {
      await stack.stop();
      await dropAll();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
