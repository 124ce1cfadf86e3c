import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { KILL_AFTER_COMMIT_PATTERN, parseKillAfterCommit, type KillAfterCommit } from './lib/fault-points.js';

/**
 * The only reader of process.env. Every variable is documented in the README's
 * configuration table and mirrored in docker-compose.yml (a test keeps them in step) and in the Helm
 * chart's deploy/helm/recordkeeper/values.yaml (test/production/helm-chart.test.ts: a new variable goes there too).
 */
/** The worker's cache and slots; see BENCHMARKS.md ("Worker memory") for the measurement behind them. */
export const WORKER_DEFAULTS = { maxCachedWorkflows: 500, maxConcurrentWorkflowTaskExecutions: 40, maxConcurrentActivityTaskExecutions: 100 } as const;

/** Back-pressure on capture: answer 503 well before REQUEST_TIMEOUT_MS's 504 (src/api/capture-admission.ts). */
export const CAPTURE_DEFAULTS = { maxInFlight: 64, deadlineMs: 15_000 } as const;

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const configSchema = z.object({
  /** PostgreSQL connection string; unset means the embedded PGlite database under DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** The owner role that applies migrations; unset means DATABASE_URL. The engine itself runs as DATABASE_URL. */
  MIGRATION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where embedded state lives: PGlite files, the Temporal dev server's SQLite file, media. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Temporal frontend; unset means `npm start` launches the embedded dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('recordkeeper'),
  /** Port of the embedded dev server's frontend and Web UI. */
  TEMPORAL_DEV_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_DEV_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Archive destinations must lie inside this folder (mount network drives below it). */
  ARCHIVE_ROOT: z.string().min(1).optional(),
  /** Root folder of content-addressed media. */
  MEDIA_ROOT: z.string().min(1).optional(),
  /** Ed25519 private key (PEM) that signs audit anchors; created on first start. Default `<DATA_DIR>/audit-signing-key.pem`. */
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** Where signed audit anchors are written, outside the database. Default `<DATA_DIR>/audit-anchors`. */
  AUDIT_ANCHOR_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** A Temporal CLI binary to use instead of looking on PATH or building one. */
  TEMPORAL_CLI: z.string().min(1).optional(),
  /** Where built tools are cached across clones (the Temporal CLI). */
  RECORDKEEPER_CACHE_DIR: z.string().min(1).optional(),
  XDG_CACHE_HOME: z.string().min(1).optional(),
  HOME: z.string().min(1).optional(),
  /** The PostgreSQL server on which the test suite creates (and drops) its own database. */
  TEST_POSTGRES_URL: z.url({ protocol: /^postgres(ql)?$/ }).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Apply pending migrations at start-up (the production images run them once, from the API). */
  MIGRATE_ON_START: booleanFromEnv.default(true),
  /** Browser origins allowed to call the API, comma-separated; empty keeps CORS closed. */
  CORS_ORIGINS: z.string().default(''),
  /** A request still running after this long is answered 504. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Unauthenticated refusals audited one by one per source address and minute; the rest answer 429 and are summarised. */
  UNAUTHENTICATED_REFUSALS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** OIDC bearer tokens: all three of issuer, audience and JWKS URL, or none (API tokens only). */
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Claim holding the caller's Recordkeeper roles (an array of role names, or one name). */
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  /** Console sign-in with the identity provider (authorization code flow with PKCE): the console's client and the provider's endpoints. */
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Empty for a public client (PKCE alone); set for a confidential one (sent with HTTP Basic to the token endpoint). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_AUTHORIZATION_URL: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_TOKEN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The console's address as browsers reach it (behind a proxy: the proxy's), for the provider's redirect back; default the request's own origin. */
  CONSOLE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** A console session without a request for this long ends (signed out, audited LOGOUT). */
  CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** A console session ends this long after sign-in, however active. */
  CONSOLE_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /** Mark the console's session cookie Secure: set it when the console is reached over https (a TLS proxy in front). */
  CONSOLE_SECURE_COOKIES: booleanFromEnv.default(false),
  /** The Temporal Web UI, linked from each conversation's timeline; default the embedded dev server's UI. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Where notification mails go (smtp:// or smtps://, credentials in the URL); unset: mails are logged as JSON lines instead. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Recordkeeper <recordkeeper@localhost>'),
  /** The notification dispatcher looks for due mails at least this often (a review change pokes it sooner). */
  NOTIFICATION_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Where data export runs write their CSV files; default `<DATA_DIR>/exports`. */
  EXPORTS_ROOT: z.string().min(1).optional(),
  /** An export mailed to its owner is attached up to this size; a bigger one is mailed as a download link. */
  EXPORT_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Workflows the worker keeps in memory between tasks; an evicted one is replayed from its history on its next task. */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(1_000_000).default(WORKER_DEFAULTS.maxCachedWorkflows),
  /** Workflow tasks and activities the worker runs at once (its slots). */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).default(WORKER_DEFAULTS.maxConcurrentWorkflowTaskExecutions),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(WORKER_DEFAULTS.maxConcurrentActivityTaskExecutions),
  /** Captures handed to Temporal at once per API process; more wait for a slot. */
  CAPTURE_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(CAPTURE_DEFAULTS.maxInFlight),
  /** A capture not stored within this long (waiting for a slot included) is answered 503 with Retry-After. */
  CAPTURE_DEADLINE_MS: z.coerce.number().int().min(100).max(3_600_000).default(CAPTURE_DEFAULTS.deadlineMs),
  /** S3-compatible endpoint holding the recordings contact records name; with neither it nor a region, fetching is off. */
  RECORDING_S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  RECORDING_S3_REGION: z.string().min(1).optional(),
  /** Both or neither; neither: the AWS SDK's default credential chain (environment, profile, instance role). */
  RECORDING_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  RECORDING_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`); default true with an endpoint (most S3-compatible servers), false on AWS. */
  RECORDING_S3_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  /** How often the fetch sweep looks for due recordings. */
  RECORDING_FETCH_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** The first retry waits this long, each later one twice as long, at most six hours. */
  RECORDING_FETCH_RETRY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** Failed attempts before a fetch is given up (reported and audited): 20 is about three days. */
  RECORDING_FETCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** A recording object larger than this is refused: it is held in memory to be hashed and stored (as an upload is, at 200 MiB). */
  RECORDING_FETCH_MAX_BYTES: z.coerce.number().int().min(1).max(4 * 1024 * 1024 * 1024).default(200 * 1024 * 1024),
  /** Where media live: `local` (MEDIA_ROOT) or `s3` (OBJECT_STORE_BUCKET, written under Object Lock). */
  MEDIA_STORE: z.enum(['local', 's3']).default('local'),
  /** The media bucket's S3-compatible endpoint; unset: AWS itself (then OBJECT_STORE_REGION). */
  OBJECT_STORE_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OBJECT_STORE_REGION: z.string().min(1).optional(),
  /** Created with Object Lock enabled (ObjectLockEnabledForBucket); required with MEDIA_STORE=s3. */
  OBJECT_STORE_BUCKET: z.string().min(3).max(63).optional(),
  /** Both or neither; neither: the AWS SDK's default credential chain. */
  OBJECT_STORE_ACCESS_KEY_ID: z.string().min(1).optional(),
  OBJECT_STORE_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  OBJECT_STORE_FORCE_PATH_STYLE: booleanFromEnv.optional(),
  /** COMPLIANCE: no one, root included, can shorten or remove a retention; GOVERNANCE: a privileged user can. */
  OBJECT_STORE_LOCK_MODE: z.enum(['COMPLIANCE', 'GOVERNANCE']).default('COMPLIANCE'),
  /**
   * Every object is written already retained this long, so it is WORM from its first byte; the lock
   * reconciler then extends it to the protection's end. 0: no retention until the reconciler's pass.
   */
  OBJECT_STORE_WRITE_RETENTION_SECONDS: z.coerce.number().int().min(0).max(10 * 365 * 86_400).default(86_400),
  /** compliance: refuse to start unless the WORM self-test proves the media store refuses early deletion. */
  STORAGE_MODE: z.enum(['compliance', 'standard']).default('standard'),
  /** Fault suite only (src/lib/fault-points.ts): `activity:probability,...` kills the worker right after such an activity commits. */
  RECORDKEEPER_FAULT_KILL_AFTER_COMMIT: z.string().regex(KILL_AFTER_COMMIT_PATTERN, 'activityName:probability pairs, comma-separated').optional(),
});

export type RawConfig = z.infer<typeof configSchema>;

/** Unauthenticated refusals audited one by one per source address and window (src/api/middleware/auth/refusal-limiter.ts). */
export interface RefusalLimit {
  auditedPerWindow: number;
  windowMs: number;
}

export interface Config {
  databaseUrl: string | undefined;
  /** Where migrations run (the tables' owner); DATABASE_URL unless MIGRATION_DATABASE_URL is set. */
  migrationDatabaseUrl: string | undefined;
  dataDir: string;
  mediaRoot: string;
  archiveRoot: string;
  /** Audit checkpoints anchored outside the database: the signing key's file and the anchors' folder. */
  auditAnchors: { signingKeyFile: string; dir: string };
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    devPort: number;
    devUiPort: number;
  };
  api: { host: string; port: number };
  /** How the API treats requests: which browser origins may call it, and how long a request may run. */
  http: { corsOrigins: string[]; requestTimeoutMs: number; refusalLimit?: RefusalLimit; captureAdmission?: CaptureAdmissionConfig };
  oidc: OidcConfig | undefined;
  /** The web console's sessions and its link to the Temporal UI. */
  console: { sessionIdleMs: number; sessionMaxMs: number; secureCookies: boolean; temporalUiUrl: string | undefined; publicUrl: string | undefined };
  logLevel: RawConfig['LOG_LEVEL'];
  migrateOnStart: boolean;
  tools: { temporalCli: string | undefined; cacheDir: string };
  testPostgresUrl: string;
  mail: MailConfig;
  exports: ExportsConfig;
  worker: WorkerTuning;
  recordingFetch: RecordingFetchConfig;
  mediaStore: MediaStoreConfig;
  /** compliance: the engine refuses to start on storage whose WORM self-test fails (src/storage/worm-self-test.ts). */
  storageMode: 'compliance' | 'standard';
  /** Injected crashes for the fault suite; empty in every real deployment. */
  faults?: { killAfterCommit: KillAfterCommit };
}

/** Where media (and their Object Lock) live: the local folder `mediaRoot`, or an S3 bucket with Object Lock. */
export type MediaStoreConfig = { kind: 'local' } | ({ kind: 's3' } & ObjectStoreConfig);

export interface ObjectStoreConfig {
  endpoint: S3EndpointConfig;
  bucket: string;
  lockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Retention set by the write itself (OBJECT_STORE_WRITE_RETENTION_SECONDS); 0: none. */
  writeRetentionSeconds: number;
}

/** Where the recordings that contact records name are fetched from, and how failures are retried. */
export interface RecordingFetchConfig {
  /** Undefined: fetching is off, and each recording a record names is reported "not fetched". */
  s3: S3EndpointConfig | undefined;
  intervalSeconds: number;
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  maxAttempts: number;
  maxBytes: number;
}

export interface S3EndpointConfig {
  /** Undefined: AWS itself. */
  endpoint: string | undefined;
  region: string;
  /** Undefined: the SDK's default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
}

/** The lifecycle worker's memory and concurrency: cached workflows and slots. */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
}

/** Captures handed to Temporal at once per API process, and how long one may take before it is answered 503. */
export interface CaptureAdmissionConfig {
  maxInFlight: number;
  deadlineMs: number;
}

export interface ExportsConfig {
  /** Absolute folder holding every export's files. */
  root: string;
  /** Mailed exports up to this size are attached; bigger ones are linked. */
  attachmentMaxBytes: number;
}

export interface MailConfig {
  /** Unset: mails are logged, not sent. */
  smtpUrl: string | undefined;
  from: string;
  pollSeconds: number;
}

export interface OidcConfig {
  issuer: string;
  audience: string;
  jwksUrl: string;
  rolesClaim: string;
  usernameClaim: string;
  /** The web console's OIDC client (authorization code flow with PKCE); absent: the console signs in with API tokens only. */
  consoleClient?: { clientId: string; clientSecret: string | undefined; authorizationUrl: string; tokenUrl: string };
}

export class ConfigError extends Error {}

function oidcConfig(raw: RawConfig): OidcConfig | undefined {
  const { OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, OIDC_JWKS_URL: jwksUrl } = raw;
  if (!issuer && !audience && !jwksUrl) return undefined;
  if (!issuer || !audience || !jwksUrl) {
    // Verifying a token without its issuer or audience would accept tokens minted for other services.
    throw new ConfigError('Invalid configuration:\n  OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL must be set together');
  }
  const { OIDC_CLIENT_ID: clientId, OIDC_AUTHORIZATION_URL: authorizationUrl, OIDC_TOKEN_URL: tokenUrl } = raw;
  if ((clientId || authorizationUrl || tokenUrl) && !(clientId && authorizationUrl && tokenUrl)) {
    throw new ConfigError('Invalid configuration:\n  OIDC_CLIENT_ID, OIDC_AUTHORIZATION_URL and OIDC_TOKEN_URL must be set together (console sign-in with the identity provider)');
  }
  const consoleClient = clientId && authorizationUrl && tokenUrl ? { clientId, clientSecret: raw.OIDC_CLIENT_SECRET, authorizationUrl, tokenUrl } : undefined;
  return { issuer, audience, jwksUrl, rolesClaim: raw.OIDC_ROLES_CLAIM, usernameClaim: raw.OIDC_USERNAME_CLAIM, ...(consoleClient ? { consoleClient } : {}) };
}

function recordingS3Config(raw: RawConfig): S3EndpointConfig | undefined {
  const { RECORDING_S3_ENDPOINT: endpoint, RECORDING_S3_REGION: region, RECORDING_S3_ACCESS_KEY_ID: accessKeyId, RECORDING_S3_SECRET_ACCESS_KEY: secretAccessKey } = raw;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('Invalid configuration:\n  RECORDING_S3_ACCESS_KEY_ID and RECORDING_S3_SECRET_ACCESS_KEY must be set together');
  }
  if (!endpoint && !region) return undefined;
  return {
    endpoint,
    // S3-compatible servers accept any region name; us-east-1 is what they assume when none is given.
    region: region ?? 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: raw.RECORDING_S3_FORCE_PATH_STYLE ?? Boolean(endpoint),
  };
}

function mediaStoreConfig(raw: RawConfig): MediaStoreConfig {
  const { OBJECT_STORE_ACCESS_KEY_ID: accessKeyId, OBJECT_STORE_SECRET_ACCESS_KEY: secretAccessKey, OBJECT_STORE_ENDPOINT: endpoint } = raw;
  if (raw.MEDIA_STORE === 'local') {
    if (raw.STORAGE_MODE === 'compliance') {
      // A local folder cannot refuse its owner a deletion, so it can never pass the WORM self-test.
      throw new ConfigError('Invalid configuration:\n  STORAGE_MODE=compliance needs MEDIA_STORE=s3 (a bucket with Object Lock)');
    }
    return { kind: 'local' };
  }
  if (!raw.OBJECT_STORE_BUCKET) throw new ConfigError('Invalid configuration:\n  OBJECT_STORE_BUCKET: required with MEDIA_STORE=s3');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new ConfigError('Invalid configuration:\n  OBJECT_STORE_ACCESS_KEY_ID and OBJECT_STORE_SECRET_ACCESS_KEY must be set together');
  }
  return {
    kind: 's3',
    bucket: raw.OBJECT_STORE_BUCKET,
    lockMode: raw.OBJECT_STORE_LOCK_MODE,
    writeRetentionSeconds: raw.OBJECT_STORE_WRITE_RETENTION_SECONDS,
    endpoint: {
      endpoint,
      region: raw.OBJECT_STORE_REGION ?? 'us-east-1',
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
      forcePathStyle: raw.OBJECT_STORE_FORCE_PATH_STYLE ?? Boolean(endpoint),
    },
  };
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "not set", as docker-compose and shells write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  if (raw.MIGRATION_DATABASE_URL && !raw.DATABASE_URL) {
    // The embedded PGlite database has one role: migrating elsewhere would leave it unmigrated.
    throw new ConfigError('Invalid configuration:\n  MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database migrates itself)');
  }
  const dataDir = path.resolve(raw.DATA_DIR);
  return {
    databaseUrl: raw.DATABASE_URL,
    migrationDatabaseUrl: raw.MIGRATION_DATABASE_URL ?? raw.DATABASE_URL,
    dataDir,
    mediaRoot: path.resolve(raw.MEDIA_ROOT ?? path.join(dataDir, 'media')),
    archiveRoot: path.resolve(raw.ARCHIVE_ROOT ?? path.join(dataDir, 'archive')),
    auditAnchors: {
      signingKeyFile: path.resolve(raw.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, 'audit-signing-key.pem')),
      dir: path.resolve(raw.AUDIT_ANCHOR_DIR ?? path.join(dataDir, 'audit-anchors')),
    },
    temporal: {
      address: raw.TEMPORAL_ADDRESS,
      namespace: raw.TEMPORAL_NAMESPACE,
      taskQueue: raw.TEMPORAL_TASK_QUEUE,
      devPort: raw.TEMPORAL_DEV_PORT,
      devUiPort: raw.TEMPORAL_DEV_UI_PORT,
    },
    api: { host: raw.API_HOST, port: raw.API_PORT },
    http: {
      corsOrigins: raw.CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
      requestTimeoutMs: raw.REQUEST_TIMEOUT_MS,
      refusalLimit: { auditedPerWindow: raw.UNAUTHENTICATED_REFUSALS_PER_MINUTE, windowMs: 60_000 },
      captureAdmission: { maxInFlight: raw.CAPTURE_MAX_IN_FLIGHT, deadlineMs: raw.CAPTURE_DEADLINE_MS },
    },
    oidc: oidcConfig(raw),
    console: {
      sessionIdleMs: raw.CONSOLE_SESSION_IDLE_MINUTES * 60_000,
      sessionMaxMs: raw.CONSOLE_SESSION_MAX_HOURS * 3_600_000,
      secureCookies: raw.CONSOLE_SECURE_COOKIES,
      temporalUiUrl: raw.TEMPORAL_UI_URL ?? (raw.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${raw.TEMPORAL_DEV_UI_PORT}`),
      publicUrl: raw.CONSOLE_PUBLIC_URL,
    },
    logLevel: raw.LOG_LEVEL,
    migrateOnStart: raw.MIGRATE_ON_START,
    tools: {
      temporalCli: raw.TEMPORAL_CLI,
      cacheDir: path.resolve(
        raw.RECORDKEEPER_CACHE_DIR ??
          path.join(raw.XDG_CACHE_HOME ?? path.join(raw.HOME ?? os.homedir(), '.cache'), 'recordkeeper'),
      ),
    },
    testPostgresUrl: raw.TEST_POSTGRES_URL,
    mail: { smtpUrl: raw.SMTP_URL, from: raw.MAIL_FROM, pollSeconds: raw.NOTIFICATION_POLL_SECONDS },
    exports: { root: path.resolve(raw.EXPORTS_ROOT ?? path.join(dataDir, 'exports')), attachmentMaxBytes: raw.EXPORT_ATTACHMENT_MAX_BYTES },
    worker: {
      maxCachedWorkflows: raw.WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTaskExecutions: raw.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      maxConcurrentActivityTaskExecutions: raw.WORKER_MAX_CONCURRENT_ACTIVITIES,
    },
    recordingFetch: {
      s3: recordingS3Config(raw),
      intervalSeconds: raw.RECORDING_FETCH_INTERVAL_SECONDS,
      retryBaseSeconds: raw.RECORDING_FETCH_RETRY_SECONDS,
      retryMaxSeconds: 6 * 3600,
      maxAttempts: raw.RECORDING_FETCH_MAX_ATTEMPTS,
      maxBytes: raw.RECORDING_FETCH_MAX_BYTES,
    },
    mediaStore: mediaStoreConfig(raw),
    storageMode: raw.STORAGE_MODE,
    faults: { killAfterCommit: parseKillAfterCommit(raw.RECORDKEEPER_FAULT_KILL_AFTER_COMMIT) },
  };
}

export function loadConfig(): Config {
  return parseConfig(process.env);
}
