import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * docs/compliance.md points each requirement at the tests that prove it, as "`test/<file>.test.ts` › <title>".
 * This keeps the map true: a renamed, moved or deleted test fails here, not in front of a regulator.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const MAP = fs.readFileSync(path.join(ROOT, 'docs/compliance.md'), 'utf8');

interface TestReference {
  line: number;
  file: string;
  title: string;
}

/** A reference ends at a line break in the cell (`<br>`), at the end of the cell, or at the end of the line. */
const REFERENCE = /`(test\/[^`]+\.test\.ts)` › (.+?)\s*(?=<br>|\||$)/g;

function referencesIn(text: string): TestReference[] {
  return text.split('\n').flatMap((content, index) => [...content.matchAll(REFERENCE)].map((match) => ({ line: index + 1, file: match[1]!, title: match[2]! })));
}

/** The rows of the map's tables: lines starting with a pipe, minus header and separator rows. */
function requirementRows(text: string): { line: number; cells: string[] }[] {
  const lines = text.split('\n');
  return lines.flatMap((content, index) => {
    if (!content.startsWith('|') || /^\|[\s:|-]+\|$/.test(content)) return [];
    const next = lines[index + 1] ?? '';
    if (/^\|[\s:|-]+\|$/.test(next)) return [];
    return [{ line: index + 1, cells: content.split('|').slice(1, -1).map((cell) => cell.trim()) }];
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the file declares a test (it/test, not skipped) with exactly this title in any quote style. */
function declaresTest(source: string, title: string): boolean {
  const quoted = ['\'', '"', '`'].map((quote) => `${quote}${escapeRegExp(title)}${quote}`).join('|');
  return new RegExp(`\\b(?:it|test)(?:\\.(?:only|concurrent|sequential))?\\(\\s*(?:${quoted})`).test(source);
}

describe('the compliance map (docs/compliance.md)', () => {
  const references = referencesIn(MAP);

  it('names only test files that exist and test titles declared in them', () => {
    expect(references.length).toBeGreaterThan(30);
    const broken = references.flatMap((reference) => {
      const file = path.join(ROOT, reference.file);
      if (!fs.existsSync(file)) return [`line ${reference.line}: no file ${reference.file}`];
      return declaresTest(fs.readFileSync(file, 'utf8'), reference.title) ? [] : [`line ${reference.line}: no test "${reference.title}" in ${reference.file}`];
    });
    expect(broken).toEqual([]);
  });

  it('gives every requirement row a status and at least one test, or says plainly that it is not met', () => {
    const rows = requirementRows(MAP);
    expect(rows.length).toBeGreaterThan(20);
    const unproven = rows.filter(({ cells }) => {
      const [, , status = '', proof = ''] = cells;
      if (!/^\*\*(met|partial|not met)\*\*/i.test(status)) return true;
      return referencesIn(proof).length === 0 && !/^\*\*not met\*\*/i.test(status);
    });
    expect(unproven.map(({ line, cells }) => `line ${line}: ${cells[0]}`)).toEqual([]);
  });

  it('covers every obligation the issue names', () => {
    for (const obligation of [
      'Art. 16(7)',
      'Art. 72',
      'Art. 76',
      'Capturing relevant interactions',
      'Identifying relevant interactions',
      'Keeping relevant interactions',
      'Complaints management',
      'Complaints training',
      'Monitoring complaints conformity',
      'Rule 17a-4(f)',
      'Rule 4511',
      'Art. 17(3)(b)',
    ]) {
      expect(MAP, obligation).toContain(obligation);
    }
  });

  it('recognises a reference to a test that does not exist', () => {
    const [fake] = referencesIn('| x | y | **met** | `test/compliance/compliance-map.test.ts` › a test nobody wrote |');
    expect(fake).toMatchObject({ file: 'test/compliance/compliance-map.test.ts', title: 'a test nobody wrote' });
    expect(declaresTest(fs.readFileSync(path.join(ROOT, fake!.file), 'utf8'), fake!.title)).toBe(false);
  });
});
