/**
 * CSV as RFC 4180 writes it: fields joined by commas, lines ended by CRLF, a field holding a comma, a quote,
 * CR or LF quoted with its quotes doubled. A field starting with = + - @ (or a tab or CR) would run as a
 * formula when a spreadsheet opens the file (CSV injection), so it gets a leading single quote; agent,
 * queue and tag names are user input.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
