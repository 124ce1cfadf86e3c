import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.js';
import { auditBenchmark } from './audit-search.js';
import { captureBenchmark } from './capture.js';
import { exportBenchmark } from './exports.js';
import { printTable, type BenchRow } from './measure.js';
import { reviewReportBenchmark } from './review-reports.js';
import { searchHoldBenchmark } from './search-hold.js';

/**
 * Speed targets live here, not in timed unit tests. `npm run bench` runs both on the PostgreSQL server of
 * TEST_POSTGRES_URL (scratch databases, dropped afterwards).
 *   npm run bench -- [--only audit|capture|hold|reviews|exports] [--audit-entries N] [--contacts N] [--held N] [--reviews N] [--export-rows N]
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
  },
});
const only = args.only;
if (only !== undefined && !['audit', 'capture', 'hold', 'reviews', 'exports'].includes(only)) throw new Error('--only must be audit, capture, hold, reviews or exports');
const sizeOf = (name: 'audit-entries' | 'contacts' | 'held' | 'reviews' | 'export-rows') => {
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
printTable(rows);
