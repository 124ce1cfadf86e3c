import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import pg from 'pg';
import { stringify } from 'yaml';
import { loadConfig } from '../src/config.js';

/**
 * `npx tsx scripts/temporal-server.ts` (and `npm run stack`): the full Temporal server (frontend, history, matching and worker services in one
 * process) on PostgreSQL, as production runs it, instead of the dev server's SQLite file.
 *
 * v1.29.1 is the server the pinned CLI (v1.5.1) embeds as its dev server, so development and production run
 * the same server code, and the first build reuses the CLI build's module and build caches. Its go.mod has no
 * `replace` directive, which `go install pkg@version` would refuse. The cache folder is named after it.
 */
export const PINNED_TEMPORAL_SERVER_VERSION = 'v1.29.1';
const SERVER_PACKAGE = 'go.temporal.io/server/cmd/server';
const SQL_TOOL_PACKAGE = 'go.temporal.io/server/cmd/tools/sql';

/**
 * History shards can never change once the cluster has its schema: a workflow's shard is a hash of its id
 * modulo this number. 512 lets the history service spread over many hosts later while staying cheap on one
 * host (an idle shard only polls its queues now and then); see the README's "Running in production".
 */
export const HISTORY_SHARDS = 512;

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

export function cachedServerBinaries(cacheDir: string): TemporalServerBinaries {
  const folder = path.join(cacheDir, `temporal-server-${PINNED_TEMPORAL_SERVER_VERSION}`);
  return { server: path.join(folder, 'temporal-server'), sqlTool: path.join(folder, 'temporal-sql-tool') };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function goToolchain(): string {
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (isExecutable('/usr/local/go/bin/go')) return '/usr/local/go/bin/go';
  throw new Error(`No Go toolchain on PATH or at /usr/local/go/bin/go: install Go >= 1.25 to build the Temporal server ${PINNED_TEMPORAL_SERVER_VERSION}.`);
}

/** Builds the server and its SQL schema tool into the cache unless both are there; the first build takes many minutes. */
export async function ensureTemporalServerBinaries(cacheDir: string, log: (line: string) => void): Promise<TemporalServerBinaries> {
  const binaries = cachedServerBinaries(cacheDir);
  if (isExecutable(binaries.server) && isExecutable(binaries.sqlTool)) return binaries;
  const go = goToolchain();
  const folder = path.dirname(binaries.server);
  // Build into a scratch folder and rename, so a killed build never leaves a half-written binary in the cache.
  const scratch = `${folder}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  log(`Building Temporal server ${PINNED_TEMPORAL_SERVER_VERSION} and its SQL tool with ${go} (first time only, 10 to 20 minutes on 2 cores)...`);
  const started = Date.now();
  const heartbeat = setInterval(() => log(`  ...still building the Temporal server (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', `${SERVER_PACKAGE}@${PINNED_TEMPORAL_SERVER_VERSION}`, `${SQL_TOOL_PACKAGE}@${PINNED_TEMPORAL_SERVER_VERSION}`], {
        // The child inherits the environment (GOPATH, GOPROXY, proxies) as any shell would pass it on.
        env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (exitCode !== 0) throw new Error(`'go install' of the Temporal server exited with ${exitCode}`);
    fs.mkdirSync(folder, { recursive: true });
    // `go install` names each binary after its package folder: `server` and `sql`.
    fs.renameSync(path.join(scratch, 'sql'), binaries.sqlTool);
    fs.renameSync(path.join(scratch, 'server'), binaries.server);
    log(`Temporal server built in ${Math.round((Date.now() - started) / 1000)} s and cached in ${folder}`);
    return binaries;
  } finally {
    clearInterval(heartbeat);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The Temporal UI: ui-server v2.42.1, the UI the pinned CLI embeds and the image docker-compose.yml runs. Its
 * go.mod has no `replace` either; the built assets ship inside the module.
 */
export const PINNED_TEMPORAL_UI_VERSION = 'v2.42.1';
const UI_PACKAGE = 'github.com/temporalio/ui-server/v2/cmd/server';

export function cachedUiBinary(cacheDir: string): string {
  return path.join(cacheDir, `temporal-ui-${PINNED_TEMPORAL_UI_VERSION}`, 'temporal-ui');
}

/** Builds the UI server into the cache unless it is there (a few minutes the first time). */
export async function ensureTemporalUiBinary(cacheDir: string, log: (line: string) => void): Promise<string> {
  const binary = cachedUiBinary(cacheDir);
  if (isExecutable(binary)) return binary;
  const go = goToolchain();
  const folder = path.dirname(binary);
  const scratch = `${folder}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  log(`Building the Temporal UI ${PINNED_TEMPORAL_UI_VERSION} with ${go} (first time only, a few minutes)...`);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', `${UI_PACKAGE}@${PINNED_TEMPORAL_UI_VERSION}`], {
        env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (exitCode !== 0) throw new Error(`'go install' of the Temporal UI exited with ${exitCode}`);
    fs.mkdirSync(folder, { recursive: true });
    fs.renameSync(path.join(scratch, 'server'), binary);
    return binary;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Starts the UI on 127.0.0.1:`port` against the frontend at `temporalAddress`; its config and log under `stateDir`. */
export async function startTemporalUi(options: { binary: string; stateDir: string; temporalAddress: string; port: number; namespace: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const configDir = path.join(options.stateDir, 'ui-config');
  fs.mkdirSync(configDir, { recursive: true });
  const config = { temporalGrpcAddress: options.temporalAddress, host: '127.0.0.1', port: options.port, enableUi: true, publicPath: '', defaultNamespace: options.namespace };
  fs.writeFileSync(path.join(configDir, `${CONFIG_ENVIRONMENT}.yaml`), `# Generated by scripts/temporal-server.ts\n${stringify(config)}`);
  const logStream = fs.openSync(path.join(options.stateDir, 'temporal-ui.log'), 'a');
  const child = spawn(options.binary, ['--root', options.stateDir, '--config', 'ui-config', '--env', CONFIG_ENVIRONMENT, 'start'], { stdio: ['ignore', logStream, logStream], detached: true });
  fs.closeSync(logStream);
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.removeListener('exit', killChild));
  const deadline = Date.now() + 30_000;
  while (!(await portAcceptsConnections(options.port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal UI did not listen on port ${options.port}; see ${path.join(options.stateDir, 'temporal-ui.log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The PostgreSQL server Temporal keeps its two databases on, and what they are called. */
export interface TemporalDatabases {
  /** Any database on that server, to connect to while creating the two (e.g. `postgres://postgres@127.0.0.1:5432/postgres`). */
  serverUrl: string;
  /** Workflow histories, shards, task queues. */
  main: string;
  /** Visibility: what list and count queries (and the UI) search. */
  visibility: string;
}

export function temporalDatabases(serverUrl: string, prefix = 'temporal'): TemporalDatabases {
  return { serverUrl, main: prefix, visibility: `${prefix}_visibility` };
}

async function withServer<T>(serverUrl: string, database: string | undefined, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(serverUrl);
  if (database) url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates both databases if missing and brings their schema to the latest version of this server release
 * with temporal-sql-tool (its embedded postgres12 schemas): versioning tables once, then every versioned
 * step not yet applied, so running it again, or after a server upgrade, is safe.
 */
export async function prepareTemporalDatabases(databases: TemporalDatabases, sqlTool: string, log: (line: string) => void): Promise<void> {
  const url = new URL(databases.serverUrl);
  for (const [database, schemaName] of [
    [databases.main, 'postgresql/v12/temporal'],
    [databases.visibility, 'postgresql/v12/visibility'],
  ] as const) {
    const exists = await withServer(databases.serverUrl, undefined, async (client) => {
      const found = await client.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
      return found.rowCount !== 0;
    });
    const versioned = await withServer(databases.serverUrl, database, async (client) =>
      (await client.query("select to_regclass('public.schema_version') is not null as present")).rows[0].present as boolean,
    );
    const connection = [
      '--plugin', 'postgres12',
      '--endpoint', url.hostname,
      '--port', url.port || '5432',
      '--user', decodeURIComponent(url.username || 'postgres'),
      ...(url.password ? ['--password', decodeURIComponent(url.password)] : []),
      '--database', database,
      '--quiet',
    ];
    if (!versioned) runSqlTool(sqlTool, [...connection, 'setup-schema', '--version', '0.0']);
    runSqlTool(sqlTool, [...connection, 'update-schema', '--schema-name', schemaName]);
    log(`Temporal database ${database} ${exists ? 'brought up to date' : 'created'} (${schemaName})`);
  }
}

function runSqlTool(sqlTool: string, args: string[]): void {
  const result = spawnSync(sqlTool, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    const shown = args.map((arg, index) => (args[index - 1] === '--password' ? '***' : arg)).join(' ');
    throw new Error(`temporal-sql-tool ${shown} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Every port the one-process server listens on, all on 127.0.0.1. */
export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Four ringpop membership ports follow each other from here: frontend, history, matching, worker. */
  membershipBase: number;
  metrics: number;
}

export const DEFAULT_PORTS: TemporalServerPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  history: 7234,
  matching: 7235,
  worker: 7239,
  membershipBase: 6933,
  metrics: 8000,
};

export interface ServerConfigOptions {
  databases: TemporalDatabases;
  ports: TemporalServerPorts;
  /** Connections per database, for the whole process: the history service's shards share them. */
  maxConnections: { main: number; visibility: number };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

/** The server's configuration as its YAML loader reads it (one file, `<env>.yaml`, in the config folder). */
export function serverConfig(options: ServerConfigOptions): Record<string, unknown> {
  const url = new URL(options.databases.serverUrl);
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${url.hostname}:${url.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(url.username || 'postgres'),
      password: decodeURIComponent(url.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const { ports } = options;
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, number> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...extra },
  });
  return {
    log: { stdout: true, level: options.logLevel, format: 'json' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': store(options.databases.main, options.maxConnections.main),
        'postgres-visibility': store(options.databases.visibility, options.maxConnections.visibility),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` } },
    },
    services: {
      frontend: service(ports.frontend, ports.membershipBase, { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.membershipBase + 1),
      matching: service(ports.matching, ports.membershipBase + 2),
      worker: service(ports.worker, ports.membershipBase + 3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `127.0.0.1:${ports.frontend}` } },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

/**
 * Per pool: each of the four services in the process opens its own pools (measured: 44 connections to the main
 * database with 20 here), so the server may hold up to four times these. 10 and 2 keep it under 48 in all.
 */
export const DEFAULT_MAX_CONNECTIONS = { main: 10, visibility: 2 } as const;

export interface RunningTemporalServer {
  address: string;
  /** Where its JSON log lines go. */
  logFile: string;
  stop(): Promise<void>;
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const CONFIG_ENVIRONMENT = 'recordkeeper';

/**
 * Writes the generated config under `stateDir/config/` and starts the server there, its log in
 * `stateDir/temporal-server.log`, then waits until the frontend answers.
 */
export async function startTemporalServer(options: {
  binary: string;
  stateDir: string;
  config: ServerConfigOptions;
  log: (line: string) => void;
  startTimeoutMs?: number;
}): Promise<RunningTemporalServer> {
  const { ports } = options.config;
  if (await portAcceptsConnections(ports.frontend)) {
    throw new Error(`Port ${ports.frontend} is already in use: stop the process there or choose other ports (--port).`);
  }
  const configDir = path.join(options.stateDir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(
    path.join(configDir, `${CONFIG_ENVIRONMENT}.yaml`),
    `# Generated by scripts/temporal-server.ts; numHistoryShards must never change for these databases.\n${stringify(serverConfig(options.config))}`,
    { mode: 0o600 },
  );
  const logFile = path.join(options.stateDir, 'temporal-server.log');
  const logStream = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    options.binary,
    ['--root', options.stateDir, '--config', 'config', '--env', CONFIG_ENVIRONMENT, '--allow-no-auth', 'start'],
    // Its own process group: Ctrl+C reaches only its parent, which stops it after whatever runs on it.
    { stdio: ['ignore', logStream, logStream], detached: true },
  );
  fs.closeSync(logStream);
  // Never leave a server behind, whichever way this process ends.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.removeListener('exit', killChild));

  const address = `127.0.0.1:${ports.frontend}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-6).join('\n');
      throw new Error(`Temporal server exited with ${child.exitCode} while starting; the end of ${logFile}:\n${tail}`);
    }
    if (await portAcceptsConnections(ports.frontend)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Temporal server did not listen on ${address} in time; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  options.log(`Temporal server ${PINNED_TEMPORAL_SERVER_VERSION} listening on ${address} (${HISTORY_SHARDS} history shards, log ${logFile})`);
  return {
    address,
    logFile,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Registers the namespace unless it exists, then waits until the frontend serves it (its namespace cache
 * refreshes every few seconds). Retention is how long Temporal keeps a closed workflow's history.
 */
export async function ensureNamespace(address: string, namespace: string, retentionDays: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let connection: Connection | undefined;
  while (!connection) {
    try {
      connection = await Connection.connect({ address, connectTimeout: 5_000 });
    } catch (error) {
      // The port listens a moment before the frontend serves gRPC, longer on a busy machine.
      if (Date.now() > deadline) throw error;
    }
  }
  try {
    for (;;) {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
      } catch (error) {
        // 6 ALREADY_EXISTS: another start registered it. Anything else (the server still starting) is retried.
        if ((error as { code?: number }).code !== 6 && Date.now() > deadline) throw error;
      }
      try {
        await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} not served within ${timeoutMs} ms: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await connection.close();
  }
}

export interface TemporalServerOptions {
  cacheDir: string;
  stateDir: string;
  postgresUrl: string;
  databasePrefix: string;
  ports: TemporalServerPorts;
  namespace: string;
  retentionDays: number;
  maxConnections?: { main: number; visibility: number };
  logLevel?: ServerConfigOptions['logLevel'];
  log: (line: string) => void;
}

/** Build (once), prepare the databases, start, register the namespace: everything `scripts/temporal-server.ts` does. */
export async function runTemporalServer(options: TemporalServerOptions): Promise<RunningTemporalServer & { databases: TemporalDatabases }> {
  const binaries = await ensureTemporalServerBinaries(options.cacheDir, options.log);
  const databases = temporalDatabases(options.postgresUrl, options.databasePrefix);
  await prepareTemporalDatabases(databases, binaries.sqlTool, options.log);
  const server = await startTemporalServer({
    binary: binaries.server,
    stateDir: options.stateDir,
    config: {
      databases,
      ports: options.ports,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      logLevel: options.logLevel ?? 'warn',
    },
    log: options.log,
  });
  try {
    await ensureNamespace(server.address, options.namespace, options.retentionDays);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { ...server, databases };
}

/** Consecutive ports from `frontend`: gRPC and HTTP for the frontend, then history, matching, worker, membership, metrics. */
export function portsFrom(frontend: number): TemporalServerPorts {
  return {
    frontend,
    frontendHttp: frontend + 1,
    history: frontend + 2,
    matching: frontend + 3,
    worker: frontend + 4,
    membershipBase: frontend + 5,
    metrics: frontend + 9,
  };
}

export const USAGE = `npx tsx scripts/temporal-server.ts [options]
  --postgres URL       PostgreSQL server for Temporal's databases (default postgres://postgres@127.0.0.1:5432/postgres)
  --database-prefix P  databases P and P_visibility (default temporal)
  --port N             frontend gRPC port (default 7233; the server also takes the defaults 7234, 7235, 7239, 7243, 6933-6936, 8000,
                       or, with --port, the next nine ports after N)
  --namespace NS       namespace to register (default TEMPORAL_NAMESPACE or "default")
  --retention-days D   how long closed workflow histories are kept (default 7)
  --state-dir DIR      generated config and log (default DATA_DIR/temporal-server)
  --build-only         build the binaries into the cache and print their paths`;

export function parseServerArguments(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'database-prefix': { type: 'string', default: 'temporal' },
      port: { type: 'string' },
      namespace: { type: 'string' },
      'retention-days': { type: 'string', default: '7' },
      'state-dir': { type: 'string' },
      'build-only': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  const retentionDays = Number(values['retention-days']);
  if (!Number.isInteger(retentionDays) || retentionDays < 1) throw new Error('--retention-days must be a whole number of days, at least 1');
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_526)) throw new Error('--port must be a port number below 65527');
  if (!/^[a-z_][a-z0-9_]*$/.test(values['database-prefix'])) throw new Error('--database-prefix must be a lower-case SQL identifier');
  return { ...values, retentionDays, ports: port === undefined ? DEFAULT_PORTS : portsFrom(port) };
}

async function main(): Promise<void> {
  const parsed = parseServerArguments(process.argv.slice(2));
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (parsed['build-only']) {
    const binaries = await ensureTemporalServerBinaries(config.tools.cacheDir, log);
    process.stdout.write(`${binaries.server}\n${binaries.sqlTool}\n`);
    return;
  }
  const server = await runTemporalServer({
    cacheDir: config.tools.cacheDir,
    stateDir: path.resolve(parsed['state-dir'] ?? path.join(config.dataDir, 'temporal-server')),
    postgresUrl: parsed.postgres,
    databasePrefix: parsed['database-prefix'],
    ports: parsed.ports,
    namespace: parsed.namespace ?? config.temporal.namespace,
    retentionDays: parsed.retentionDays,
    log,
  });
  process.stdout.write(
    `\nTemporal server is running.\n  Frontend:   ${server.address} (TEMPORAL_ADDRESS)\n` +
      `  Databases:  ${server.databases.main}, ${server.databases.visibility} on ${new URL(parsed.postgres).host}\n` +
      `  Metrics:    http://127.0.0.1:${parsed.ports.metrics}/metrics\n  Log:        ${server.logFile}\nPress Ctrl+C to stop.\n`,
  );
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
