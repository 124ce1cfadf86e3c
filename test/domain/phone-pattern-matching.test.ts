import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesPhonePattern, normalizePhone, validatePhonePattern } from '../../src/domain/recording-rules.js';

/** The matcher as it was: a regular expression, right on short inputs and exponential on long ones. */
function regexMatches(pattern: string, phone: string): boolean {
  const check = validatePhonePattern(pattern);
  if (!check.ok) return false;
  let source = '';
  for (const char of check.normalized) {
    if (char === '*') source += '.*';
    else if (char === '?' || char === 'X' || char === 'x') source += '[0-9]';
    else if (char === '+') source += '\\+';
    else source += char;
  }
  return new RegExp(`^${source}$`).test(normalizePhone(phone));
}

// Few distinct digits, so that patterns and numbers overlap often enough for matches to happen.
const patternChar = fc.constantFrom('0', '1', '2', '*', '*', '?', 'X', 'x', ' ', '-');
const phoneChar = fc.constantFrom('0', '1', '2', '+', ' ', '-', '(', 'X', 'a', '\n', '\u00e9', '\ud83d\udcde');
const pattern = fc.tuple(fc.boolean(), fc.array(patternChar, { maxLength: 10 })).map(([plus, chars]) => `${plus ? '+' : ''}${chars.join('')}`);
const phone = fc.tuple(fc.boolean(), fc.array(phoneChar, { maxLength: 14 })).map(([plus, chars]) => `${plus ? '+' : ''}${chars.join('')}`);

describe('phone pattern matching without backtracking', () => {
  it('answers what the regular expression answers', () => {
    fc.assert(
      fc.property(pattern, phone, (p, n) => {
        expect(matchesPhonePattern(p, n)).toBe(regexMatches(p, n));
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers what the regular expression answers for numbers built from the pattern', () => {
    // A number spelled from the pattern (each `*` as a few digits, each `?` as 7) mostly matches it, and
    // with a character appended mostly does not: both answers get tried often.
    const fill = fc.constantFrom('', '0', '12', '210');
    const derived = fc
      .tuple(pattern, fc.array(fill, { minLength: 10, maxLength: 10 }), fc.constantFrom('', '1', 'x'))
      .map(([p, fills, tail]) => {
        const spelled = [...p].map((char, index) => (char === '*' ? fills[index % fills.length] : '?Xx'.includes(char) ? '7' : char));
        return [p, spelled.join('') + tail] as const;
      });
    fc.assert(
      fc.property(derived, ([p, n]) => {
        expect(matchesPhonePattern(p, n)).toBe(regexMatches(p, n));
      }),
      { numRuns: 2_000 },
    );
  });

  it('finishes a pattern of many wildcards against a long number', { timeout: 90_000 }, () => {
    // The regular expression takes seconds on the first case with 12 wildcards and 30 digits; with 20+ and
    // 200 it would not finish at all. Run in a child process, so a regression fails here instead of hanging.
    const cases = [
      ['*1'.repeat(20) + '2', '1'.repeat(200)],
      ['*1'.repeat(20) + '1', '1'.repeat(200)],
      ['*'.repeat(25) + '?', '4'.repeat(200)],
      ['*0*?*X*'.repeat(4) + '9', `+${'0123456789'.repeat(20)}`],
      ['+' + '*?'.repeat(22) + '8', `+${'9'.repeat(200)}`],
    ];
    const script = [
      "import { matchesPhonePattern } from './src/domain/recording-rules.ts';",
      `const cases = ${JSON.stringify(cases)};`,
      'console.log(JSON.stringify(cases.map(([p, n]) => matchesPhonePattern(p, n))));',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      // Generous: the whole child takes about a second, nearly all of it starting tsx.
      timeout: 60_000,
    });
    expect(child.error, 'the matcher did not finish within a minute').toBeUndefined();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([false, true, true, true, false]);
  });
});
