import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function goBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v go'], { encoding: 'utf8' });
  if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  return isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined;
}

/** The cached binary, built first when missing (a few minutes, once per machine). Safe to call concurrently. */
export async function ensureVersitygw(options: { cacheDir: string; log: (line: string) => void }): Promise<string> {
  const target = cachedVersitygwPath(options.cacheDir);
  if (isExecutable(target)) return target;
  const go = goBinary();
  if (!go) throw new Error(`versitygw is not built and no Go toolchain was found: install Go >= 1.25, or put a versitygw ${PINNED_VERSITYGW_VERSION} binary at ${target}`);
  // Build into a scratch folder and rename, so a killed build never leaves a half-written binary in the cache.
  const scratch = `${path.dirname(target)}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  options.log(`Building versitygw ${PINNED_VERSITYGW_VERSION} with ${go} (first time only, takes a few minutes)...`);
  const started = Date.now();
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(go, ['install', `${MODULE}@${PINNED_VERSITYGW_VERSION}`], {
        env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (exitCode !== 0) throw new Error(`'go install ${MODULE}@${PINNED_VERSITYGW_VERSION}' exited with ${exitCode}`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(scratch, 'versitygw'), target);
    options.log(`versitygw built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${target}`);
    return target;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
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
