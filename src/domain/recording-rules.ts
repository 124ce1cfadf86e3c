/**
 * Admin-defined recording rules. They are evaluated for each call segment on its own, top to bottom by
 * `position`, and the first enabled rule that matches decides whether the segment is recorded and which
 * tag, if any, it gets.
 */

export type PhoneMatch = { type: 'phone'; pattern: string };
export type ExternalDataMatch = { type: 'external-data'; key: string; value: string };
export type RuleMatch = PhoneMatch | ExternalDataMatch;

export type RecordingRule = {
  id: string;
  name: string;
  position: number;
  match: RuleMatch;
  action: 'record' | 'do-not-record';
  tag?: { name: string; value?: string | null } | null;
  requireConsent?: boolean;
  enabled?: boolean;
};

/** What a rule is matched against: one segment's parties and the call's external data at that moment. */
export type RuleSubject = {
  parties: readonly string[];
  externalData: Readonly<Record<string, string>>;
};

export type RecordingDecision = {
  ruleId: string | null;
  record: boolean;
  tag: { name: string; value: string | null } | null;
  requireConsent: boolean;
};

const PHONE_SEPARATORS = /[\s\-.()]/g;
const PHONE_PATTERN_SHAPE = /^\+?[0-9*?Xx]+$/;
/**
 * The longest pattern a new rule may have, separators aside: an E.164 number has at most 15 digits, so twice
 * that leaves room for wildcards and extensions. Checked on write only: a stored rule keeps matching as before.
 */
export const MAX_PHONE_PATTERN_CHARS = 32;

export type PhonePatternCheck = { ok: true; normalized: string } | { ok: false; message: string };

/** Spaces, dashes, dots and parentheses are presentation only: `+44 (20) 7946-0000` is `+442079460000`. */
export function normalizePhone(raw: string): string {
  return raw.replace(PHONE_SEPARATORS, '');
}

export function validatePhonePattern(pattern: string): PhonePatternCheck {
  const normalized = normalizePhone(pattern);
  if (normalized === '') {
    return {
      ok: false,
      message: 'Phone pattern is empty: give an extension or an E.164 number, e.g. "2178" or "+4420*".',
    };
  }
  if (!PHONE_PATTERN_SHAPE.test(normalized)) {
    return {
      ok: false,
      message:
        `Phone pattern "${pattern}" is not valid: use digits, an optional leading "+", ` +
        '"*" for any run of characters and "?" or "X" for exactly one digit (e.g. "21??", "+4420*").',
    };
  }
  return { ok: true, normalized };
}

export function isValidPhonePattern(pattern: string): boolean {
  return validatePhonePattern(pattern).ok;
}

const isDigit = (char: string) => char >= '0' && char <= '9';

/** One pattern character other than `*` against one character of the number. */
function matchesOneChar(patternChar: string, char: string): boolean {
  if (patternChar === '?' || patternChar === 'X' || patternChar === 'x') return isDigit(char);
  return patternChar === char;
}

/**
 * Wildcard matching without backtracking: on a mismatch only the most recent `*` takes one more character,
 * since any earlier `*` could only absorb what that one already can. At most pattern × number steps, so a
 * pattern full of `*` against a long number stays fast (a regular expression with `.*` per `*` backtracks
 * combinatorially there). Answers exactly what `^…$` with `.*` for `*` and `[0-9]` for `?`/`X` would.
 */
function matchesNormalizedPattern(pattern: string, phone: string): boolean {
  let p = 0;
  let s = 0;
  let lastStar = -1;
  let resumeAt = 0;
  while (s < phone.length) {
    const patternChar = pattern[p];
    if (patternChar === '*') {
      lastStar = p;
      resumeAt = s;
      p += 1;
    } else if (patternChar !== undefined && matchesOneChar(patternChar, phone[s]!)) {
      p += 1;
      s += 1;
    } else if (lastStar !== -1) {
      resumeAt += 1;
      p = lastStar + 1;
      s = resumeAt;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

export function matchesPhonePattern(pattern: string, phone: string): boolean {
  const check = validatePhonePattern(pattern);
  // A stored rule with a bad pattern must not crash a running call; the API rejects such patterns on write.
  if (!check.ok) return false;
  return matchesNormalizedPattern(check.normalized, normalizePhone(phone));
}

function ruleMatches(match: RuleMatch, subject: RuleSubject): boolean {
  if (match.type === 'phone') return subject.parties.some((party) => matchesPhonePattern(match.pattern, party));
  return Object.hasOwn(subject.externalData, match.key) && subject.externalData[match.key] === match.value;
}

/** Rules in evaluation order; ties on `position` keep their given order. */
export function orderRecordingRules<T extends Pick<RecordingRule, 'position'>>(rules: readonly T[]): T[] {
  return [...rules].sort((left, right) => left.position - right.position);
}

export function evaluateRecordingRules(rules: readonly RecordingRule[], subject: RuleSubject): RecordingDecision {
  const rule = orderRecordingRules(rules).find(
    (candidate) => candidate.enabled !== false && ruleMatches(candidate.match, subject),
  );
  if (!rule) return { ruleId: null, record: false, tag: null, requireConsent: false };
  if (rule.action === 'do-not-record') return { ruleId: rule.id, record: false, tag: null, requireConsent: false };
  return {
    ruleId: rule.id,
    record: true,
    tag: rule.tag ? { name: rule.tag.name, value: rule.tag.value ?? null } : null,
    requireConsent: rule.requireConsent === true,
  };
}
