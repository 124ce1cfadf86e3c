import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadOrCreateSigningKey } from '../src/audit/anchor/signing-key.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { ensureFirstAdmin, type FirstAdmin } from '../src/identity/first-admin.js';
import { ensureTemporalUiBinary, MAX_FRONTEND_PORT, portsFrom, runTemporalServer, startTemporalUi, type RunningTemporalServer } from './temporal-server.js';

/**
 * `npm run stack`: the production topology on one machine, without Docker: the full Temporal server on
 * PostgreSQL, worker processes (src/worker.ts) and API processes (src/server.ts), each a process of its own
 * with its own port, on one Recordkeeper database and one shared data folder (media, exports, anchors).
 */

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

export interface StackOptions {
  /** The PostgreSQL server (any database on it, as a superuser or a role that may create databases and roles). */
  postgresUrl: string;
  /** Recordkeeper's own database on that server; created and migrated if missing. */
  database: string;
  /** Temporal's databases: this prefix and `<prefix>_visibility`. */
  temporalDatabasePrefix: string;
  /** Login role the engine's processes run as, a member of `recordkeeper_runtime`; null runs them as the owner. */
  runtimeLogin: string | null;
  /** Media, exports, archive, audit key and anchors, Temporal's generated config, every process's log. */
  dataDir: string;
  /** Temporal frontend port; the server takes the nine ports after it too. */
  temporalPort: number;
  apiPorts: number[];
  /** Port of the Temporal UI (built into the cache on first use); null runs none. */
  uiPort: number | null;
  workers: number;
  namespace: string;
  taskQueue: string;
  retentionDays: number;
  cacheDir: string;
  /** More variables for every engine process (SMTP_URL, LOG_LEVEL, ...). */
  extraEnv?: Record<string, string>;
  log: (line: string) => void;
}

export interface StackProcess {
  name: string;
  pid: number;
  /** The API's base URL; undefined for a worker. */
  url: string | undefined;
  logFile: string;
  alive(): boolean;
  /** SIGKILL: no draining, no goodbye to Temporal or PostgreSQL, as a crash or the OOM killer would end it. */
  kill(): Promise<void>;
  /** SIGTERM: the process's own graceful shutdown. */
  stop(): Promise<void>;
}

export interface RunningStack {
  temporal: RunningTemporalServer;
  /** The Temporal UI's URL, when one runs. */
  temporalUiUrl: string | undefined;
  /** What the engine's processes connect as, and the owner that migrated. */
  databaseUrl: string;
  migrationDatabaseUrl: string;
  workers: StackProcess[];
  apis: StackProcess[];
  firstAdmin: FirstAdmin;
  stop(): Promise<void>;
}

function databaseUrlOf(serverUrl: string, database: string, user?: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user;
    url.password = '';
  }
  return url.toString();
}

function quoted(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** Creates the engine's database if missing and migrates it as the owner (the role of `postgresUrl`). */
async function prepareEngineDatabase(options: StackOptions): Promise<{ migrationDatabaseUrl: string; databaseUrl: string }> {
  const admin = new pg.Client({ connectionString: options.postgresUrl });
  await admin.connect();
  try {
    const found = await admin.query('select 1 from pg_database where datname = $1', [options.database]);
    if (found.rowCount === 0) await admin.query(`create database ${quoted(options.database)}`);
  } finally {
    await admin.end();
  }
  const migrationDatabaseUrl = databaseUrlOf(options.postgresUrl, options.database);
  const owner = openPostgres(migrationDatabaseUrl, 2);
  try {
    await applyMigrations(owner);
  } finally {
    await owner.close();
  }
  if (!options.runtimeLogin) return { migrationDatabaseUrl, databaseUrl: migrationDatabaseUrl };
  const roles = new pg.Client({ connectionString: migrationDatabaseUrl });
  await roles.connect();
  try {
    // Roles are global to the server: made once, and only if missing (the migrations create recordkeeper_runtime).
    await roles.query(
      `do $$ begin
         if not exists (select 1 from pg_roles where rolname = ${pg.escapeLiteral(options.runtimeLogin)}) then
           create role ${quoted(options.runtimeLogin)} login in role recordkeeper_runtime;
         end if;
       end $$`,
    );
  } finally {
    await roles.end();
  }
  return { migrationDatabaseUrl, databaseUrl: databaseUrlOf(options.postgresUrl, options.database, options.runtimeLogin) };
}

interface ProcessSpec {
  name: string;
  entry: 'src/worker.ts' | 'src/server.ts';
  env: Record<string, string>;
  readyLine: string;
  url: string | undefined;
}

async function startEngineProcess(spec: ProcessSpec, logDir: string, timeoutMs = 120_000): Promise<StackProcess> {
  const logFile = path.join(logDir, `${spec.name}.log`);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', spec.entry], {
    cwd: repositoryRoot,
    // The engine reads only its own variables (src/config.ts); PATH, HOME and the like pass through as a shell would.
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl+C reaches only the stack, which stops the engine before Temporal.
    detached: true,
  });
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', killChild);
      resolve();
    }),
  );
  const out = fs.createWriteStream(logFile, { flags: 'a' });
  let startupOutput = '';
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.name} not ready within ${timeoutMs} ms; see ${logFile}`)), timeoutMs);
    const watch = (chunk: Buffer) => {
      out.write(chunk);
      if (ready) return;
      startupOutput += chunk.toString();
      if (startupOutput.includes(spec.readyLine)) {
        ready = true;
        startupOutput = '';
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${spec.name} exited (${code ?? signal}) before it was ready:\n${startupOutput.slice(-4000)}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    child.kill(signal);
    const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    out.end();
  };
  return { name: spec.name, pid: child.pid!, url: spec.url, logFile, alive, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

/** Starts everything; on any failure stops what already runs. */
export async function startStack(options: StackOptions): Promise<RunningStack> {
  const dataDir = path.resolve(options.dataDir);
  const logDir = path.join(dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const started: StackProcess[] = [];
  let temporal: RunningTemporalServer | undefined;
  let ui: { url: string; stop(): Promise<void> } | undefined;
  try {
    temporal = await runTemporalServer({
      cacheDir: options.cacheDir,
      stateDir: path.join(dataDir, 'temporal-server'),
      postgresUrl: options.postgresUrl,
      databasePrefix: options.temporalDatabasePrefix,
      ports: portsFrom(options.temporalPort),
      namespace: options.namespace,
      retentionDays: options.retentionDays,
      log: options.log,
    });
    if (options.uiPort !== null) {
      ui = await startTemporalUi({
        binary: await ensureTemporalUiBinary(options.cacheDir, options.log),
        stateDir: path.join(dataDir, 'temporal-server'),
        temporalAddress: temporal.address,
        port: options.uiPort,
        namespace: options.namespace,
      });
    }
    const urls = await prepareEngineDatabase(options);
    options.log(`Recordkeeper database ${options.database} migrated; engine processes connect as ${new URL(urls.databaseUrl).username}`);
    const firstAdmin = await (async () => {
      const owner = openPostgres(urls.migrationDatabaseUrl, 1);
      try {
        return await ensureFirstAdmin(owner.db, dataDir, {
          actor: { type: 'system', id: 'first-run', username: 'first-run', fullName: 'First start of the stack (npm run stack)' },
          correlationId: `stack-first-run-${Date.now()}`,
        });
      } finally {
        await owner.close();
      }
    })();
    // Made here once: processes starting side by side would each create a different key.
    const signingKeyFile = path.join(dataDir, 'audit-signing-key.pem');
    loadOrCreateSigningKey(signingKeyFile);

    const common: Record<string, string> = {
      DATABASE_URL: urls.databaseUrl,
      MIGRATION_DATABASE_URL: urls.migrationDatabaseUrl,
      MIGRATE_ON_START: 'false',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: options.namespace,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      DATA_DIR: dataDir,
      MEDIA_ROOT: path.join(dataDir, 'media'),
      ARCHIVE_ROOT: path.join(dataDir, 'archive'),
      EXPORTS_ROOT: path.join(dataDir, 'exports'),
      AUDIT_SIGNING_KEY_FILE: signingKeyFile,
      AUDIT_ANCHOR_DIR: path.join(dataDir, 'audit-anchors'),
      API_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...options.extraEnv,
    };
    const specs: ProcessSpec[] = [
      ...Array.from({ length: options.workers }, (_, index): ProcessSpec => ({
        name: `worker-${index + 1}`,
        entry: 'src/worker.ts',
        env: common,
        readyLine: '"worker started"',
        url: undefined,
      })),
      ...options.apiPorts.map((port, index): ProcessSpec => ({
        name: `api-${index + 1}`,
        entry: 'src/server.ts',
        env: { ...common, API_PORT: String(port) },
        readyLine: '"api started"',
        url: `http://127.0.0.1:${port}`,
      })),
    ];
    const processes = await Promise.allSettled(specs.map((spec) => startEngineProcess(spec, logDir)));
    for (const result of processes) if (result.status === 'fulfilled') started.push(result.value);
    const failed = processes.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    const running = temporal;
    const runningUi = ui;
    return {
      temporal: running,
      temporalUiUrl: runningUi?.url,
      ...urls,
      workers: started.filter((child) => child.url === undefined),
      apis: started.filter((child) => child.url !== undefined),
      firstAdmin,
      async stop() {
        await Promise.all(started.map((child) => child.stop()));
        await runningUi?.stop();
        await running.stop();
      },
    };
  } catch (error) {
    await Promise.all(started.map((child) => child.kill()));
    await ui?.stop();
    await temporal?.stop();
    throw error;
  }
}

export const STACK_USAGE = `npm run stack -- [options]
  --postgres URL        PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
  --database NAME       Recordkeeper's database (default recordkeeper_stack)
  --temporal-prefix P   Temporal's databases P and P_visibility (default temporal_stack)
  --runtime-login ROLE  role the engine runs as, in recordkeeper_runtime (default recordkeeper_stack_app; "" runs as the owner)
  --temporal-port N     Temporal frontend port, at most 32758; N+1..N+9 are taken too (default 7233)
  --api-ports A,B       one API process per port (default 3001,3002)
  --workers N           worker processes (default 2)
  --ui-port N           Temporal UI port (default 8233; built into the cache on first use)
  --no-ui               run no Temporal UI
  --retention-days D    Temporal namespace retention for closed histories (default 7)
  --data-dir DIR        shared data folder (default DATA_DIR/stack)`;

function parseStackArguments(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      database: { type: 'string', default: 'recordkeeper_stack' },
      'temporal-prefix': { type: 'string', default: 'temporal_stack' },
      'runtime-login': { type: 'string', default: 'recordkeeper_stack_app' },
      'temporal-port': { type: 'string', default: '7233' },
      'api-ports': { type: 'string', default: '3001,3002' },
      workers: { type: 'string', default: '2' },
      'ui-port': { type: 'string', default: '8233' },
      'no-ui': { type: 'boolean', default: false },
      'retention-days': { type: 'string', default: '7' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, value: string, min: number, max: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return number;
  };
  return {
    ...values,
    temporalPort: whole('temporal-port', values['temporal-port'], 1, MAX_FRONTEND_PORT),
    apiPorts: values['api-ports'].split(',').map((port) => whole('api-ports', port.trim(), 1, 65_535)),
    workers: whole('workers', values.workers, 1, 32),
    uiPort: values['no-ui'] ? null : whole('ui-port', values['ui-port'], 1, 65_535),
    retentionDays: whole('retention-days', values['retention-days'], 1, 3650),
  };
}

async function main(): Promise<void> {
  const parsed = parseStackArguments(process.argv.slice(2));
  if (parsed.help) {
    process.stdout.write(`${STACK_USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const dataDir = path.resolve(parsed['data-dir'] ?? path.join(config.dataDir, 'stack'));
  const stack = await startStack({
    postgresUrl: parsed.postgres,
    database: parsed.database,
    temporalDatabasePrefix: parsed['temporal-prefix'],
    runtimeLogin: parsed['runtime-login'] || null,
    dataDir,
    temporalPort: parsed.temporalPort,
    apiPorts: parsed.apiPorts,
    uiPort: parsed.uiPort,
    workers: parsed.workers,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    retentionDays: parsed.retentionDays,
    cacheDir: config.tools.cacheDir,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const line = (child: StackProcess) => `  ${child.name.padEnd(10)} pid ${String(child.pid).padEnd(8)} ${child.url ?? ''}${child.url ? '  ' : ''}log ${child.logFile}\n`;
  process.stdout.write(
    `\nRecordkeeper stack is running.\n` +
      `  Temporal   ${stack.temporal.address} (full server on PostgreSQL, log ${stack.temporal.logFile})\n` +
      stack.apis.map(line).join('') +
      stack.workers.map(line).join('') +
      `  OpenAPI    ${stack.apis[0]?.url}/openapi.json, reference ${stack.apis[0]?.url}/docs\n` +
      `  Database   ${new URL(stack.databaseUrl).pathname.slice(1)} as ${new URL(stack.databaseUrl).username}; data in ${dataDir}\n` +
      (stack.temporalUiUrl ? `  Temporal UI ${stack.temporalUiUrl}\n` : '') +
      (stack.firstAdmin.created
        ? `\nFirst start: created the user "admin". Its API token, shown only this once (also in ${stack.firstAdmin.file}):\n\n${stack.firstAdmin.token}\n`
        : stack.firstAdmin.file
          ? `  First token in ${stack.firstAdmin.file}\n`
          : '') +
      `Press Ctrl+C to stop everything.\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('Stopping the stack...\n');
    void stack.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
