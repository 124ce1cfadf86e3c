import path from 'node:path';
import { findGoToolchain, goInstallIntoCache, isExecutable, onPath } from './go-install.js';

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

function unavailable(reason: string, cacheDir: string): TemporalCliUnavailableError {
  return new TemporalCliUnavailableError(
    `No Temporal CLI could be found or built (${reason}). Provide one in any of these ways:\n` +
      `  1. set TEMPORAL_CLI to the path of a temporal binary;\n` +
      `  2. put a 'temporal' binary on PATH;\n` +
      `  3. install Go >= 1.25 with access to the Go module proxy, and this script builds ` +
      `${MODULE}@${PINNED_TEMPORAL_CLI_VERSION} into ${cachedCliPath(cacheDir)} by itself.`,
  );
}

/** Builds the pinned CLI into the cache with `go install`. */
async function buildIntoCache(options: TemporalCliOptions): Promise<string> {
  const go = findGoToolchain();
  if (!go) throw unavailable('no Go toolchain on PATH or at /usr/local/go/bin/go', options.cacheDir);
  try {
    const target = cachedCliPath(options.cacheDir);
    await goInstallIntoCache({ go, version: PINNED_TEMPORAL_CLI_VERSION, commands: [{ module: MODULE, target }], label: 'Temporal CLI', log: options.log });
    return target;
  } catch (error) {
    throw unavailable(error instanceof Error ? error.message : String(error), options.cacheDir);
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
