import type { Database } from '../../db/client.js';
import { EXPORT_WRITERS, type AuditExportFormat } from './export-format.js';
import type { AuditCursor, AuditSearchFilters } from './search-filters.js';
import { fetchAuditPage } from './search-query.js';
import { renderAuditEntry } from './search-render.js';

export type ExportOutcome = { result: 'OK'; rows: number } | { result: 'FAIL'; rows: number; error: string };

/** Rows read per query: large enough to amortise round trips, small enough to keep memory flat. */
const EXPORT_PAGE_SIZE = 1_000;

/**
 * The filtered audit log as a byte stream, read page by page with the same keyset query as the search, and
 * only as fast as the client consumes it. `onFinish` runs once: before the last bytes are sent, or when
 * reading fails or the client goes away.
 */
export function auditExportStream(options: {
  db: Database;
  filters: AuditSearchFilters;
  format: AuditExportFormat;
  timeZone: string;
  onFinish: (outcome: ExportOutcome) => Promise<void>;
  pageSize?: number;
}): ReadableStream<Uint8Array> {
  const writer = EXPORT_WRITERS[options.format];
  const encoder = new TextEncoder();
  let cursor: AuditCursor | undefined;
  let started = false;
  let written = 0;
  let finished = false;
  const finish = async (outcome: ExportOutcome) => {
    if (finished) return;
    finished = true;
    await options.onFinish(outcome);
  };

  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let chunk = started ? '' : writer.start;
        started = true;
        const page = await fetchAuditPage(options.db, options.filters, { cursor, limit: options.pageSize ?? EXPORT_PAGE_SIZE });
        for (const row of page.rows) chunk += writer.entry(renderAuditEntry(row, options.timeZone), written++);
        if (page.nextCursor) {
          cursor = page.nextCursor;
          controller.enqueue(encoder.encode(chunk));
          return;
        }
        // Audited before the last bytes leave, so a client holding the whole file finds the export in the log.
        await finish({ result: 'OK', rows: written });
        controller.enqueue(encoder.encode(chunk + writer.end));
        controller.close();
      } catch (error) {
        await finish({ result: 'FAIL', rows: written, error: error instanceof Error ? error.message : String(error) }).catch(() => undefined);
        controller.error(error);
      }
    },
    async cancel() {
      await finish({ result: 'FAIL', rows: written, error: 'the client closed the connection before the export ended' });
    },
  });
}
