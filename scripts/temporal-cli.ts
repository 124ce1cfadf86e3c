import { loadConfig } from '../src/config.js';
import { ensureTemporalCli } from '../src/devserver/temporal-cli.js';

/** `npm run temporal:cli`: prints the path of a usable Temporal CLI, building the pinned one if needed. */
const config = loadConfig();
try {
  const cli = await ensureTemporalCli({
    explicitPath: config.tools.temporalCli,
    cacheDir: config.tools.cacheDir,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${cli}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
