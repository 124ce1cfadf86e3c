import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Debian's Chromium: Playwright's own browser download does not work on machines without internet. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Installs Debian's `chromium` with apt-get when it is missing (as root, or through sudo). The console's
 * browser tests drive it with playwright-core. Returns its path.
 */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const asRoot = process.getuid?.() === 0;
  const run = (args: string[]) => {
    const [command, ...rest] = asRoot ? args : ['sudo', '-n', ...args];
    execFileSync(command!, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  log('Chromium is missing: installing Debian\'s chromium with apt-get (once, about a minute)');
  try {
    run(['apt-get', 'update', '-q']);
    run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium']);
  } catch (error) {
    throw new Error(`Could not install chromium with apt-get (${error instanceof Error ? error.message : String(error)}); install it by hand: apt-get install chromium`);
  }
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`apt-get finished but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${ensureChromium()}\n`);
}
