import { describe, expect, it } from 'vitest';
import { destinationsOverlap, safeSegment, tagDirectory } from '../../src/domain/archive-paths.js';

describe('archive directory names', () => {
  it('keeps ordinary tag names readable', () => {
    expect(tagDirectory({ name: 'MIFID_ADVICE', value: 'equities-2026' })).toEqual(['MIFID_ADVICE', 'equities-2026']);
    expect(tagDirectory(null)).toEqual(['_untagged']);
  });

  it('encodes traversal, separators and absolute paths so they stay one harmless segment', () => {
    for (const hostile of ['../../etc', '..', '.', '/etc/passwd', 'a/b', 'a\\b', 'C:\\x', '%2e%2e']) {
      const segment = safeSegment(hostile);
      expect(segment).not.toMatch(/[/\\.]/);
      expect(segment).not.toBe('..');
    }
    expect(safeSegment('../../etc')).toBe('%2E%2E%2F%2E%2E%2Fetc');
  });

  it('keeps distinct values distinct and never empty', () => {
    expect(safeSegment('a b')).not.toBe(safeSegment('a_b'));
    expect(safeSegment('')).toBe('%00');
    expect(safeSegment('Zürich')).toBe('Z%C3%BCrich');
  });

  it('tells overlapping destinations: the same folder or one inside the other, by whole segments, ignoring case and Unicode form', () => {
    for (const [a, b] of [
      ['drive', 'drive'],
      ['drive', 'drive/ADVICE'],
      ['drive/advice/equities', 'drive'],
      ['Drive/Advice', 'drive/advice'],
      ['drive//advice/', 'drive/advice'],
      ['Z\u00fcrich', 'Zu\u0308rich/x'],
    ]) {
      expect(destinationsOverlap(a!, b!), `${a} ${b}`).toBe(true);
      expect(destinationsOverlap(b!, a!), `${b} ${a}`).toBe(true);
    }
    for (const [a, b] of [
      ['drive', 'drive-2'],
      ['drive/advice', 'drive/advice-2'],
      ['drive/a', 'other/a'],
    ]) {
      expect(destinationsOverlap(a!, b!), `${a} ${b}`).toBe(false);
    }
  });
});
