import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findGoToolchain, goInstallIntoCache, isExecutable } from '../src/devserver/go-install.js';

/**
 * The S3-compatible server the tests (and the production-topology checks) run against: versitygw
 * (Apache-2.0), built once with `go install` into the shared cache, like the Temporal CLI.
 * `npm run versitygw` builds it if needed and prints its path.
 */
export const PINNED_VERSITYGW_VERSION = 'v1.8.0';
const MODULE = 'github.com/versity/versitygw/cmd/versitygw';

export function cachedVersitygwPath(cacheDir: string): string {
  return path.join(cacheDir, `versitygw-${PINNED_VERSITYGW_VERSION}`, 'versitygw');
}

/** The cached binary, built first when missing (a few minutes, once per machine). Safe to call concurrently. */
export async function ensureVersitygw(options: { cacheDir: string; log: (line: string) => void }): Promise<string> {
  const target = cachedVersitygwPath(options.cacheDir);
  if (isExecutable(target)) return target;
  const go = findGoToolchain();
  if (!go) throw new Error(`versitygw is not built and no Go toolchain was found: install Go >= 1.25, or put a versitygw ${PINNED_VERSITYGW_VERSION} binary at ${target}`);
  await goInstallIntoCache({ go, version: PINNED_VERSITYGW_VERSION, commands: [{ module: MODULE, target }], label: 'versitygw', log: options.log });
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { loadConfig } = await import('../src/config.js');
  try {
    process.stdout.write(`${await ensureVersitygw({ cacheDir: loadConfig().tools.cacheDir, log: (line) => process.stderr.write(`${line}\n`) })}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
