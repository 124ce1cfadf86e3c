import { describe, expect, it } from 'vitest';
import {
  evaluateRecordingRules,
  isValidPhonePattern,
  matchesPhonePattern,
  normalizePhone,
  validatePhonePattern,
  type RecordingRule,
} from '../../src/domain/recording-rules.js';

function phoneRule(id: string, position: number, pattern: string, extra: Partial<RecordingRule> = {}): RecordingRule {
  return { id, name: id, position, match: { type: 'phone', pattern }, action: 'record', ...extra };
}

function dataRule(
  id: string,
  position: number,
  key: string,
  value: string,
  extra: Partial<RecordingRule> = {},
): RecordingRule {
  return { id, name: id, position, match: { type: 'external-data', key, value }, action: 'record', ...extra };
}

const noData = {};

describe('phone patterns', () => {
  it.each([
    ['2178', '2178', true],
    ['2178', '2180', false],
    ['2178', '21780', false],
    ['2178', '217', false],
    ['21??', '2178', true],
    ['21??', '2180', true],
    ['21??', '218', false],
    ['21??', '21801', false],
    ['21XX', '2199', true],
    ['21xx', '2199', true],
    ['21?8', '21a8', false],
    ['+4420*', '+442079460000', true],
    ['+4420*', '+4420', true],
    ['+4420*', '+441179460000', false],
    ['+4420*', '442079460000', false],
    ['*', '2178', true],
    ['*78', '2178', true],
    ['*78', '2179', false],
    ['+44 (20) 7946-0000', '+442079460000', true],
    ['+442079460000', '+44 20 7946.0000', true],
    ['+44-20-*', '+44 (20) 1234 5678', true],
  ])('%s matches %s: %s', (pattern, phone, expected) => {
    expect(matchesPhonePattern(pattern, phone)).toBe(expected);
  });

  it('normalises away spaces, dashes, dots and parentheses only', () => {
    expect(normalizePhone(' +44 (20) 7946-00.00 ')).toBe('+442079460000');
  });

  it.each(['2178', '21??', '21XX', '+4420*', '*', '+44 (20) 7946-0000'])('accepts %s', (pattern) => {
    expect(validatePhonePattern(pattern).ok).toBe(true);
    expect(isValidPhonePattern(pattern)).toBe(true);
  });

  const invalidPatterns = ['', '   ', '()-.', '21a8', '44+20', '++44', 'sip:2178@pbx', '21.*[0-9]', '2178#'];
  it.each(invalidPatterns)('rejects %j', (pattern) => {
    const check = validatePhonePattern(pattern);
    expect(check.ok).toBe(false);
    expect(isValidPhonePattern(pattern)).toBe(false);
    if (!check.ok) expect(check.message).toMatch(/pattern/i);
  });

  it('explains what a valid pattern looks like', () => {
    const check = validatePhonePattern('21a8');
    expect(check).toEqual({ ok: false, message: expect.stringContaining('"21a8"') });
    if (!check.ok) expect(check.message).toContain('"?" or "X"');
  });

  it('never matches with a stored invalid pattern, even against any number', () => {
    expect(matchesPhonePattern('[0-9]*', '2178')).toBe(false);
    expect(matchesPhonePattern('21a?', '21a8')).toBe(false);
  });
});

describe('evaluateRecordingRules', () => {
  it('records nothing when no rule matches', () => {
    const rules = [phoneRule('r1', 1, '2180')];
    const decision = evaluateRecordingRules(rules, { parties: ['+420111', '2178'], externalData: noData });
    expect(decision).toEqual({ ruleId: null, record: false, tag: null, requireConsent: false });
  });

  it('matches when any party of the segment matches', () => {
    const rules = [phoneRule('r1', 1, '2178')];
    expect(evaluateRecordingRules(rules, { parties: ['2178', '+420111'], externalData: noData }).ruleId).toBe('r1');
    expect(evaluateRecordingRules(rules, { parties: ['+420111', '2178'], externalData: noData }).ruleId).toBe('r1');
  });

  it('applies the first matching rule by position, not by list order', () => {
    const rules = [phoneRule('late', 20, '21??', { tag: { name: 'LATE' } }), phoneRule('early', 10, '2178')];
    const decision = evaluateRecordingRules(rules, { parties: ['+420111', '2178'], externalData: noData });
    expect(decision).toEqual({ ruleId: 'early', record: true, tag: null, requireConsent: false });
  });

  it('keeps the given order for rules with the same position', () => {
    const rules = [phoneRule('first', 1, '2178'), phoneRule('second', 1, '2178')];
    expect(evaluateRecordingRules(rules, { parties: ['2178'], externalData: noData }).ruleId).toBe('first');
    expect(evaluateRecordingRules([...rules].reverse(), { parties: ['2178'], externalData: noData }).ruleId).toBe(
      'second',
    );
  });

  it('a do-not-record rule above a record rule keeps the segment unrecorded and untagged', () => {
    const rules = [
      phoneRule('private', 1, '+4420*', { action: 'do-not-record', tag: { name: 'IGNORED' }, requireConsent: true }),
      phoneRule('desk', 2, '2178', { tag: { name: 'TAG' } }),
    ];
    const decision = evaluateRecordingRules(rules, { parties: ['+442079460000', '2178'], externalData: noData });
    expect(decision).toEqual({ ruleId: 'private', record: false, tag: null, requireConsent: false });
  });

  it('skips disabled rules', () => {
    const rules = [
      phoneRule('off', 1, '2178', { enabled: false }),
      phoneRule('on', 2, '2178', { tag: { name: 'TAG' } }),
    ];
    const decision = evaluateRecordingRules(rules, { parties: ['2178'], externalData: noData });
    expect(decision).toEqual({ ruleId: 'on', record: true, tag: { name: 'TAG', value: null }, requireConsent: false });
  });

  it('carries the tag value and the consent requirement of the matching rule', () => {
    const rules = [phoneRule('r1', 1, '2178', { tag: { name: 'DESK', value: 'rates' }, requireConsent: true })];
    expect(evaluateRecordingRules(rules, { parties: ['2178'], externalData: noData })).toEqual({
      ruleId: 'r1',
      record: true,
      tag: { name: 'DESK', value: 'rates' },
      requireConsent: true,
    });
  });

  describe('external-data rules', () => {
    const rules = [dataRule('vip', 1, 'segment', 'VIP', { tag: { name: 'VIP' } })];

    it('match when the key holds exactly the value', () => {
      const decision = evaluateRecordingRules(rules, { parties: ['2178'], externalData: { segment: 'VIP' } });
      expect(decision.ruleId).toBe('vip');
      expect(decision.tag).toEqual({ name: 'VIP', value: null });
    });

    const nearMisses: Record<string, string>[] = [{ segment: 'vip' }, { segment: 'VIP ' }, { other: 'VIP' }, {}];
    it.each(nearMisses)('do not match %j', (externalData) => {
      expect(evaluateRecordingRules(rules, { parties: ['2178'], externalData }).ruleId).toBeNull();
    });

    it('do not match inherited object keys', () => {
      const protoRules = [dataRule('proto', 1, 'constructor', 'function Object() { [native code] }')];
      expect(evaluateRecordingRules(protoRules, { parties: [], externalData: {} }).ruleId).toBeNull();
    });

    it('take part in first-match-wins with phone rules', () => {
      const mixed = [phoneRule('desk', 2, '2178'), dataRule('dnr', 1, 'private', 'yes', { action: 'do-not-record' })];
      const subject = { parties: ['2178'], externalData: { private: 'yes' } };
      expect(evaluateRecordingRules(mixed, subject)).toMatchObject({ ruleId: 'dnr', record: false });
      const withoutFlag = { ...subject, externalData: {} };
      expect(evaluateRecordingRules(mixed, withoutFlag)).toMatchObject({ ruleId: 'desk', record: true });
    });
  });

  describe('the seed example', () => {
    const seedRules: RecordingRule[] = [
      phoneRule('rule-1', 1, '2180'),
      phoneRule('rule-2', 2, '2178', { tag: { name: 'TAG' } }),
    ];
    const customer = '+420222111000';

    it('a customer calling 2178 is tagged by the 2nd rule', () => {
      expect(evaluateRecordingRules(seedRules, { parties: [customer, '2178'], externalData: noData })).toEqual({
        ruleId: 'rule-2',
        record: true,
        tag: { name: 'TAG', value: null },
        requireConsent: false,
      });
    });

    it('a customer calling 2180 is recorded but not tagged: the 1st rule matches', () => {
      expect(evaluateRecordingRules(seedRules, { parties: [customer, '2180'], externalData: noData })).toEqual({
        ruleId: 'rule-1',
        record: true,
        tag: null,
        requireConsent: false,
      });
    });

    it.each([
      ['2180', '2178'],
      ['2178', '2180'],
    ])('a segment between %s and %s is not tagged: the 1st rule matches', (a, b) => {
      expect(evaluateRecordingRules(seedRules, { parties: [a, b], externalData: noData })).toEqual({
        ruleId: 'rule-1',
        record: true,
        tag: null,
        requireConsent: false,
      });
    });
  });
});
