import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/exports/csv.js';
import { parseCsv } from './export-fixtures.js';

describe('export CSV cells', () => {
  it('quotes fields with a comma, quote, CR or LF and doubles their quotes (RFC 4180)', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"');
    expect(csvCell('one\r\ntwo')).toBe('"one\r\ntwo"');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });

  it('prefixes a leading = + - @ (or tab, CR) with a single quote, so spreadsheets show it instead of running it', () => {
    for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)', '\tcmd', '\rcmd']) expect(csvCell(formula).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('reads back what it wrote', () => {
    const cells = ['x', 'Smith, "Jr"\nline two', '', '=cmd'];
    expect(parseCsv(csvLine(cells) + csvLine(['second']))).toEqual([['x', 'Smith, "Jr"\nline two', '', "'=cmd"], ['second']]);
  });
});
