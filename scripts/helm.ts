import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findGoToolchain, goInstallIntoCache, isExecutable } from '../src/devserver/go-install.js';

/**
 * Helm, to lint and render deploy/helm/recordkeeper offline: built once with `go install` into the shared
 * cache, like versitygw and the Temporal server. `npm run helm:build` builds it if needed and prints its path;
 * test/production/helm-chart.test.ts runs `helm lint` and `helm template` when it is there.
 */
export const PINNED_HELM_VERSION = 'v4.3.2';
const MODULE = 'helm.sh/helm/v4/cmd/helm';

export function cachedHelmPath(cacheDir: string): string {
  return path.join(cacheDir, `helm-${PINNED_HELM_VERSION}`, 'helm');
}

/** The cached binary if it was built; undefined otherwise (the chart test then checks the YAML alone). */
export function builtHelm(cacheDir: string): string | undefined {
  const target = cachedHelmPath(cacheDir);
  return isExecutable(target) ? target : undefined;
}

/** The cached binary, built first when missing (about 15 minutes on 2 busy cores, once per machine). */
export async function ensureHelm(options: { cacheDir: string; log: (line: string) => void }): Promise<string> {
  const target = cachedHelmPath(options.cacheDir);
  if (isExecutable(target)) return target;
  const go = findGoToolchain();
  if (!go) throw new Error(`helm is not built and no Go toolchain was found: install Go >= 1.25, or put a helm ${PINNED_HELM_VERSION} binary at ${target}`);
  await goInstallIntoCache({ go, version: PINNED_HELM_VERSION, commands: [{ module: MODULE, target }], label: 'helm', log: options.log });
  return target;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { loadConfig } = await import('../src/config.js');
  try {
    process.stdout.write(`${await ensureHelm({ cacheDir: loadConfig().tools.cacheDir, log: (line) => process.stderr.write(`${line}\n`) })}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
