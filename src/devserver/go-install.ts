import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Builds pinned Go commands (the Temporal CLI, versitygw) once per machine into a cache outside the clone,
 * so every clone and CI run reuses them.
 */

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `binary` on PATH, if any. */
export function onPath(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  const located = found.stdout.trim();
  return found.status === 0 && located ? located : undefined;
}

/** A Go toolchain on PATH, or where the official tarball installs it. */
export function findGoToolchain(): string | undefined {
  return onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** One command of a module to build, and where its binary is cached. */
export interface GoCommand {
  /** The command's package, e.g. `github.com/versity/versitygw/cmd/versitygw`. */
  module: string;
  /** Where the binary is cached. */
  target: string;
  /** The name `go install` gives it (its package folder's); default: the target's file name. */
  builtAs?: string;
}

export interface GoInstall {
  go: string;
  /** Every command is built at this version, in one `go install`. */
  version: string;
  commands: GoCommand[];
  /** What the log lines call it. */
  label: string;
  log: (line: string) => void;
}

/**
 * `go install module@version ...` into the commands' targets, printing a heartbeat (the first build takes
 * minutes). It builds into a scratch folder and renames, so a killed build never leaves a half-written
 * binary in the cache, and two concurrent builds each publish a whole one. Throws when `go install` fails.
 */
export async function goInstallIntoCache(build: GoInstall): Promise<void> {
  const scratch = `${path.dirname(build.commands[0]!.target)}.partial-${process.pid}`;
  fs.mkdirSync(scratch, { recursive: true });
  build.log(`Building ${build.label} ${build.version} with ${build.go} (first time only, takes a few minutes)...`);
  const started = Date.now();
  const heartbeat = setInterval(() => {
    build.log(`  ...still building ${build.label} (${Math.round((Date.now() - started) / 1000)} s)`);
  }, 20_000);
  const packages = build.commands.map((command) => `${command.module}@${build.version}`);
  try {
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(build.go, ['install', ...packages], {
        // The child inherits the environment (GOPATH, GOPROXY, proxies) as any shell would pass it on.
        // eslint-disable-next-line no-restricted-properties
        env: { ...process.env, GOBIN: scratch, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (exitCode !== 0) throw new Error(`'go install ${packages.join(' ')}' exited with ${exitCode}`);
    for (const command of build.commands) {
      fs.mkdirSync(path.dirname(command.target), { recursive: true });
      fs.renameSync(path.join(scratch, command.builtAs ?? path.basename(command.target)), command.target);
    }
    build.log(`${build.label} built in ${Math.round((Date.now() - started) / 1000)} s and cached at ${build.commands.map((command) => command.target).join(', ')}`);
  } finally {
    clearInterval(heartbeat);
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
