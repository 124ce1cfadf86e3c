import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.js';
import { auditBenchmark } from './audit-search.js';
import { captureBenchmark } from './capture.js';
import { consoleBenchmark } from './console.js';
import { exportBenchmark } from './exports.js';
import { printTable, writeJson, type BenchRow } from './measure.js';
import { machine, packageVersion } from './processes.js';
import { lifecyclesBenchmark } from './lifecycles.js';
import { restartBenchmark } from './restart.js';
import { reviewReportBenchmark } from './review-reports.js';
import { searchHoldBenchmark } from './search-hold.js';

/**
 * Speed targets live here, not in timed unit tests. `npm run bench` runs both on the PostgreSQL server of
 * TEST_POSTGRES_URL (scratch databases, dropped afterwards).
 *   npm run bench -- [--only audit|capture|hold|reviews|exports|lifecycles|restart|console] [--audit-entries N] [--contacts N]
 *     [--repeats N] [--held N] [--reviews N] [--export-rows N] [--open-lifecycles N] [--cached-workflows N] [--worker-heap-mb N]
 *     [--restart-lifecycles N] [--console-conversations N] [--console-audit-entries N] [--json FILE]
 * `lifecycles` (worker memory with N idle lifecycles), `restart` (SIGKILL and restart with lifecycles in flight) and
 * `console` (page times over a million conversations and ten million audit entries)
 * are long and run only when asked for.
 */
const config = parseConfig(process.env);
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    'audit-entries': { type: 'string', default: '2000000' },
    contacts: { type: 'string', default: '1000' },
    held: { type: 'string', default: '50000' },
    reviews: { type: 'string', default: '1000000' },
    'export-rows': { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '2' },
    'open-lifecycles': { type: 'string', default: '10000' },
    'restart-lifecycles': { type: 'string', default: '500' },
    'console-conversations': { type: 'string', default: '1000000' },
    'console-audit-entries': { type: 'string', default: '10000000' },
    'cached-workflows': { type: 'string', default: '' },
    'worker-heap-mb': { type: 'string', default: '' },
    json: { type: 'string', default: 'bench-results.json' },
  },
});
const only = args.only;
const modes = ['audit', 'capture', 'hold', 'reviews', 'exports', 'lifecycles', 'restart', 'console'];
if (only !== undefined && !modes.includes(only)) throw new Error(`--only must be one of ${modes.join(', ')}`);
type SizeOption = 'audit-entries' | 'contacts' | 'held' | 'reviews' | 'export-rows' | 'repeats' | 'open-lifecycles' | 'restart-lifecycles' | 'console-conversations' | 'console-audit-entries';
const sizeOf = (name: SizeOption) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
  return value;
};

const rows: BenchRow[] = [];
if (!only || only === 'audit') {
  rows.push(...(await auditBenchmark({ serverUrl: config.testPostgresUrl, entries: sizeOf('audit-entries'), log })));
}
if (!only || only === 'capture') {
  rows.push(
    ...(await captureBenchmark({
      serverUrl: config.testPostgresUrl,
      cacheDir: config.tools.cacheDir,
      temporalCli: config.tools.temporalCli,
      contacts: sizeOf('contacts'),
      repeats: sizeOf('repeats'),
      log,
    })),
  );
}
if (!only || only === 'hold') {
  rows.push(...(await searchHoldBenchmark({ serverUrl: config.testPostgresUrl, conversations: sizeOf('held'), log })));
}
if (!only || only === 'reviews') {
  rows.push(...(await reviewReportBenchmark({ serverUrl: config.testPostgresUrl, reviews: sizeOf('reviews'), log })));
}
if (!only || only === 'exports') {
  rows.push(...(await exportBenchmark({ serverUrl: config.testPostgresUrl, conversations: sizeOf('export-rows'), log })));
}
if (only === 'console') {
  rows.push(
    ...(await consoleBenchmark({
      serverUrl: config.testPostgresUrl,
      cacheDir: config.tools.cacheDir,
      temporalCli: config.tools.temporalCli,
      conversations: sizeOf('console-conversations'),
      auditEntries: sizeOf('console-audit-entries'),
      log,
    })),
  );
}
if (only === 'lifecycles') {
  const cached = args['cached-workflows'] ? Number(args['cached-workflows']) : undefined;
  rows.push(
    ...(await lifecyclesBenchmark({ serverUrl: config.testPostgresUrl, cacheDir: config.tools.cacheDir, temporalCli: config.tools.temporalCli, lifecycles: sizeOf('open-lifecycles'), maxCachedWorkflows: cached, workerHeapMiB: args['worker-heap-mb'] ? Number(args['worker-heap-mb']) : undefined, log })),
  );
}
if (only === 'restart') {
  rows.push(...(await restartBenchmark({ serverUrl: config.testPostgresUrl, cacheDir: config.tools.cacheDir, temporalCli: config.tools.temporalCli, lifecycles: sizeOf('restart-lifecycles'), log })));
}
printTable(rows);
writeJson(args.json, rows, { command: process.argv.slice(2), at: new Date().toISOString(), machine: machine(), sdk: packageVersion('@temporalio/worker') });
log(`results also in ${args.json}`);
