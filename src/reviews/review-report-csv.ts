import type { ReviewReportRow } from './review-reports.js';

/**
 * One CSV cell (RFC 4180). A cell starting with = + - @ (or a tab or carriage return) is run as a formula
 * by spreadsheets, so it gets a leading quote, as the audit export does; an agent or group name is user input.
 * (The audit export's own writer is bound to audit entries, hence this small copy.)
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: readonly unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

const FIXED_COLUMNS: readonly [string, (row: ReviewReportRow) => unknown][] = [
  ['key', (row) => row.key],
  ['label', (row) => row.label],
  ['reviews', (row) => row.reviews],
  ['scored', (row) => row.scored],
  ['averagePercent', (row) => row.averagePercent],
  ['minPercent', (row) => row.minPercent],
  ['maxPercent', (row) => row.maxPercent],
  ['failed', (row) => row.failed],
  ['needsTraining', (row) => row.needsTraining],
  ['disputesOpened', (row) => row.disputes.opened],
  ['disputesAccepted', (row) => row.disputes.accepted],
  ['disputesPartiallyAccepted', (row) => row.disputes.partiallyAccepted],
  ['disputesRejected', (row) => row.disputes.rejected],
  ['disputesOpen', (row) => row.disputes.open],
  ['disputedReviews', (row) => row.disputedReviews],
  ['disputeRate', (row) => row.disputeRate],
];

/** The report as CSV: a header line, then one line per row; each tier that occurs gets a `tier:<name>` column. */
export function reviewReportCsv(rows: readonly ReviewReportRow[]): string {
  const tierNames = [...new Set(rows.flatMap((row) => Object.keys(row.tiers)))].sort();
  const header = csvLine([...FIXED_COLUMNS.map(([name]) => name), ...tierNames.map((name) => `tier:${name}`)]);
  return header + rows.map((row) => csvLine([...FIXED_COLUMNS.map(([, value]) => value(row)), ...tierNames.map((name) => row.tiers[name] ?? 0)])).join('');
}
