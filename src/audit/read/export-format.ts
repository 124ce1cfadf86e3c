import type { RenderedAuditEntry } from './search-render.js';

export type AuditExportFormat = 'csv' | 'json';

const CSV_COLUMNS: readonly (keyof RenderedAuditEntry)[] = [
  'date',
  'occurredAt',
  'activity',
  'module',
  'user',
  'username',
  'userId',
  'description',
  'details',
  'result',
  'phase',
  'correlationId',
  'conversationId',
  'chainSeq',
  'id',
];

function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection); the JSON export keeps it verbatim.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The pieces of a streamed export: what comes first, how each entry is written, and what closes it. */
export interface ExportWriter {
  contentType: string;
  start: string;
  entry(entry: RenderedAuditEntry, index: number): string;
  end: string;
}

export const EXPORT_WRITERS: Record<AuditExportFormat, ExportWriter> = {
  csv: {
    contentType: 'text/csv; charset=utf-8',
    start: `${CSV_COLUMNS.join(',')}\r\n`,
    entry: (entry) => `${CSV_COLUMNS.map((column) => csvField(entry[column])).join(',')}\r\n`,
    end: '',
  },
  json: {
    contentType: 'application/json; charset=utf-8',
    start: '[\n',
    entry: (entry, index) => `${index === 0 ? '' : ',\n'}${JSON.stringify(entry)}`,
    end: '\n]\n',
  },
};
