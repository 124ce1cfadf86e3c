import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * v1.5.1 is the last CLI tag whose go.mod has no `replace` directive, which `go install pkg@version` refuses.
 * Changing it invalidates every cached build, on purpose: the cache folder is named after it.
 */
export const PINNED_TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export interface TemporalCliOptions {
  /** An explicit binary ($TEMPORAL_CLI). */
  explicitPath: string | undefined;
  /** Folder under which builds are cached, outside the clone so every clone and CI reuse them. */
  cacheDir: string;
  log: (line: string) => void;
}

export class TemporalCliUnavailableError extends Error {}

export function cachedCliPath(cacheDir: string): string {
  return path.join(cacheDir, `temporal-cli-${PINNED_TEMPORAL_CLI_VERSION}`, 'temporal');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const located = found.stdout.trim();
  return found.status === 0 && located ? located : undefined;
}

function unavailable(reason: string, cacheDir: string): TemporalCliUnavailableError {
  return new TemporalCliUnavailableError(
    `No Temporal CLI could be found or built (${reason}). Provide one in any of these ways:\n` +
      `  1. set TEMPORAL_CLI to the path of a temporal binary;\n` +
      `  2. put a 'temporal' binary on PATH;\n` +
      `  3. install Go >= 1.25 with access to the Go module proxy, and this script builds ` +
      `${MODULE}@${PINNED_TEMPORAL_CLI_VERSION} into ${cachedCliPath(cacheDir)} by itself.`,
  );
}

/** Builds the pinned CLI into the cache with `go install`, printing a heartbeat: the first build takes minutes. */
async function buildIntoCache(options: TemporalCliOptions): Promise<string> {
  const go = onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!go) throw unavailable('no Go toolchain on PATH or at /usr/local/go/bin/go', options.cacheDir);
  const target = cachedCliPath(options.cacheDir);
  const binDir = path.dirname(target);
  // Build into a scratch folder and rename, so a killed build never leaves a half-written binary in the cache.
  const scratch = `${binDir}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  options.log(`Building Temporal CLI ${PINNED_TEMPORAL_CLI_VERSION} with ${go} (first time only, takes a few minutes)...`);
  const started = Date.now();
  const heartbeat = setInterval(() => {
    options.log(`  ...still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 20_000);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', `${MODULE}@${PINNED_TEMPORAL_CLI_VERSION}`], {
        // The child inherits the environment (GOPATH, GOPROXY, proxies) as any shell would pass it on.
        // eslint-disable-next-line no-restricted-properties
        env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (exitCode !== 0) throw unavailable(`'go install' exited with ${exitCode}`, options.cacheDir);
    fs.mkdirSync(binDir, { recursive: true });
    fs.renameSync(path.join(scratch, 'temporal'), target);
    options.log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${target}`);
    return target;
  } finally {
    clearInterval(heartbeat);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Finds a Temporal CLI: $TEMPORAL_CLI, then PATH, then the cache, else builds the pinned version into the cache. */
export async function ensureTemporalCli(options: TemporalCliOptions): Promise<string> {
  if (options.explicitPath) {
    if (isExecutable(options.explicitPath)) return options.explicitPath;
    throw unavailable(`TEMPORAL_CLI=${options.explicitPath} is not an executable file`, options.cacheDir);
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cached = cachedCliPath(options.cacheDir);
  if (isExecutable(cached)) return cached;
  return buildIntoCache(options);
}
