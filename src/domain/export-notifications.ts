import { escapeHtml, formatInTimeZone, type RenderedMail } from './review-notifications.js';

/**
 * The "export ready" mail to an export's owner: ids, the row count, when it ran (in the recipient's zone)
 * and the download link path. Never the export's rows in the body: those travel only as the attached file.
 */
export interface ExportReadyFacts {
  exportId: string;
  runId: string;
  trigger: 'manual' | 'scheduled';
  rowCount: number;
  sizeBytes: number;
  finishedAt: Date;
  /** The scheduled run's nominal time, null for a manual run. */
  scheduledFor: Date | null;
  /** Whether the file is attached (up to EXPORT_ATTACHMENT_MAX_BYTES) or only linked. */
  attached: boolean;
  /** The recipient's IANA time zone: every time shown is theirs. */
  timeZone: string;
}

export function exportDownloadPath(exportId: string, runId: string): string {
  return `/v1/data-exports/${encodeURIComponent(exportId)}/runs/${encodeURIComponent(runId)}/file`;
}

/** The attached file's name: the run's id, so it says nothing of what it holds. */
export function exportFileName(runId: string): string {
  return `data-export-${runId}.csv`;
}

export function renderExportReadyMail(facts: ExportReadyFacts): RenderedMail {
  const link = exportDownloadPath(facts.exportId, facts.runId);
  const sentence = facts.attached
    ? 'A data export you own has run. The file is attached.'
    : 'A data export you own has run. The file is too large to attach: download it from the link below.';
  const lines: [string, string][] = [
    ['Export', facts.exportId],
    ['Run', facts.runId],
    ['Trigger', facts.trigger],
  ];
  if (facts.scheduledFor) lines.push(['Scheduled for', formatInTimeZone(facts.scheduledFor, facts.timeZone)]);
  lines.push(['Finished', formatInTimeZone(facts.finishedAt, facts.timeZone)], ['Rows', String(facts.rowCount)], ['Size', `${facts.sizeBytes} bytes`], ['Download', link]);
  const text = [sentence, '', ...lines.map(([label, value]) => `${label}: ${value}`), '', '— Recordkeeper', ''].join('\n');
  const rows = lines.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const html =
    `<!doctype html><html><body><p>${escapeHtml(sentence)}</p><table>${rows}</table>` +
    `<p><a href="${escapeHtml(link)}">Download the file</a></p><p>— Recordkeeper</p></body></html>`;
  return { subject: `Data export ready: ${facts.exportId}`, text, html };
}
