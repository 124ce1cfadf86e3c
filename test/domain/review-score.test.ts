import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  answerProblems,
  QUESTION_TYPES,
  questionnaireDefinitionSchema,
  scoringTiersSchema,
  type Answers,
  type NaMethod,
  type QuestionnaireDefinition,
  type ScoringMode,
} from '../../src/domain/questionnaire.js';
import { scoreReview, tierFor } from '../../src/domain/review-score.js';

type DefinitionInput = z.input<typeof questionnaireDefinitionSchema>;
type SectionInput = DefinitionInput['sections'][number];
type QuestionInput = SectionInput['questions'][number];
type Value = Answers[string]['value'];

const question = (id: string, type: QuestionInput['type'], extra: Partial<QuestionInput> = {}): QuestionInput => ({ id, text: `Question ${id}?`, type, ...extra });
const section = (id: string, weight: number, questions: QuestionInput[]): SectionInput => ({ id, title: `Section ${id}`, weight, questions });
const define = (sections: SectionInput[], naMethod: NaMethod = 'skip', scoring: ScoringMode = 'percentage'): QuestionnaireDefinition =>
  questionnaireDefinitionSchema.parse({ scoring, naMethod, sections });
const values = (byId: Record<string, Value>): Answers => Object.fromEntries(Object.entries(byId).map(([id, value]) => [id, { value }]));
const NA = { na: true };
const tiers = scoringTiersSchema.parse([
  { name: 'exceeds', from: 90, to: 100 },
  { name: 'below', from: 0, to: 60, needsTraining: true },
  { name: 'meets', from: 60, to: 90 },
]);

describe('the fraction each question type earns', () => {
  const options = [
    { id: 'a', label: 'A', score: 1 },
    { id: 'b', label: 'B', score: 2 },
    { id: 'c', label: 'C', score: 5 },
  ];
  it.each([
    ['yes-no', {}, 'yes', 1],
    ['yes-no', {}, 'no', 0],
    ['yes-partial-no', {}, 'yes', 1],
    ['yes-partial-no', {}, 'partial', 0.5],
    ['yes-partial-no', {}, 'no', 0],
    ['scale-1-5', {}, 1, 0],
    ['scale-1-5', {}, 2, 0.25],
    ['scale-1-5', {}, 4, 0.75],
    ['scale-1-5', {}, 5, 1],
    ['scale-0-5', {}, 0, 0],
    ['scale-0-5', {}, 3, 0.6],
    ['scale-0-5', {}, 5, 1],
    ['single-choice', { options }, 'a', 0.2],
    ['single-choice', { options }, 'b', 0.4],
    ['single-choice', { options }, 'c', 1],
    ['single-choice', { options: options.map((option) => ({ ...option, score: 0 })) }, 'c', 0],
    ['multiple-choice', { options }, ['a', 'b'], 0.375],
    ['multiple-choice', { options }, [], 0],
    ['multiple-choice', { options }, ['c', 'b', 'a'], 1],
    ['multiple-choice', { options: options.map((option) => ({ ...option, score: 0 })) }, ['a'], 0],
    ['numeric-range', { range: { min: 100, max: 300 } }, 150, 0.25],
    ['numeric-range', { range: { min: 100, max: 300 } }, 300, 1],
    ['numeric-range', { range: { min: 100, max: 300 } }, 400, 1],
    ['numeric-range', { range: { min: 100, max: 300 } }, 50, 0],
  ] as const)('%s %j answered %j earns %d', (type, extra, value, fraction) => {
    const score = scoreReview(define([section('s1', 100, [question('q1', type, { weight: 2, ...extra })])]), [], values({ q1: value as Value }));
    expect(score.questions).toEqual([{ id: 'q1', sectionId: 's1', na: false, answered: true, fraction, earned: fraction * 2, possible: 2 }]);
    expect(score.percent).toBe(fraction * 100);
  });

  it('never scores free text', () => {
    const score = scoreReview(define([section('s1', 100, [question('q1', 'free-text'), question('q2', 'yes-no')])]), [], values({ q1: 'friendly', q2: 'no' }));
    expect(score.questions[0]).toEqual({ id: 'q1', sectionId: 's1', na: false, answered: true, fraction: null, earned: 0, possible: 0 });
    expect(score).toMatchObject({ percent: 0, points: { earned: 0, possible: 1 } });
  });

  it('does not score unanswered questions', () => {
    const score = scoreReview(define([section('s1', 100, [question('q1', 'yes-no'), question('q2', 'yes-no')])]), [], { q1: { value: 'yes' }, q2: { comment: 'later' } });
    expect(score.questions[1]).toEqual({ id: 'q2', sectionId: 's1', na: false, answered: false, fraction: null, earned: 0, possible: 0 });
    expect(score).toMatchObject({ percent: 100, points: { earned: 1, possible: 1 } });
  });
});

describe('weights', () => {
  it('weighs questions by their points: 3 of 3, 0 of 1 and 0.8 × 2 make 4.6 of 6 = 76.67 %', () => {
    const definition = define([section('s1', 100, [question('q1', 'yes-no', { weight: 3 }), question('q2', 'yes-no'), question('q3', 'scale-0-5', { weight: 2 })])]);
    const score = scoreReview(definition, tiers, values({ q1: 'yes', q2: 'no', q3: 4 }));
    expect(score).toMatchObject({ percent: 76.67, points: { earned: 4.6, possible: 6 }, tier: { name: 'meets', needsTraining: false }, failed: false, unscoredReason: null });
  });

  it('weighs sections: 100 % × 70 and 50 % × 30 make 85 %; a 0 % section is information only', () => {
    const definition = define([
      section('s1', 70, [question('q1', 'yes-no')]),
      section('s2', 30, [question('q2', 'yes-no'), question('q3', 'yes-no')]),
      section('info', 0, [question('q4', 'yes-no')]),
    ]);
    const score = scoreReview(definition, tiers, values({ q1: 'yes', q2: 'yes', q3: 'no', q4: 'no' }));
    expect(score.percent).toBe(85);
    expect(score.sections).toEqual([
      { id: 's1', weight: 70, percent: 100, failed: false },
      { id: 's2', weight: 30, percent: 50, failed: false },
      { id: 'info', weight: 0, percent: 0, failed: false },
    ]);
    // Points still count every answer: 1 + 1 + 0 + 0 of 4.
    expect(score.points).toEqual({ earned: 2, possible: 4 });
    const onlyInformation = scoreReview(definition, tiers, values({ q4: 'yes' }));
    expect(onlyInformation).toMatchObject({ percent: null, unscoredReason: 'all-not-applicable', sections: [{ percent: null }, { percent: null }, { percent: 100 }] });
  });

  it('shares the weight of a section without a percent among the others', () => {
    const definition = define([section('s1', 70, [question('q1', 'yes-partial-no')]), section('s2', 30, [question('q2', 'yes-no', { allowNa: true })])]);
    expect(scoreReview(definition, [], { q1: { value: 'partial' }, q2: NA })).toMatchObject({ percent: 50, sections: [{ percent: 50 }, { percent: null }] });
  });

  it("ignores section weights in 'points' mode: 2 + 0 + 3 of 8 = 62.5 %", () => {
    const sections = [
      section('s1', 10, [question('q1', 'yes-no', { weight: 2 }), question('q2', 'yes-no')]),
      section('s2', 0, [question('q3', 'scale-0-5', { weight: 5 })]),
    ];
    const answers = values({ q1: 'yes', q2: 'no', q3: 3 });
    expect(scoreReview(define(sections, 'skip', 'points'), tiers, answers)).toMatchObject({ percent: 62.5, points: { earned: 5, possible: 8 }, tier: { name: 'meets' } });
  });
});

describe('N/A answers', () => {
  // s1 (weight 60): q1 yes-no ×3 = yes (1), q2 scale-1-5 = 2 (0.25), q3 single-choice N/A (options score 0, 1, 3).
  // s2 (weight 40): q4 = no (0), q5 scale-0-5 = 5 (1), q6 = no (0): 1 of 3 = 33.333 %.
  //   skip:                          s1 = (3 + 0.25) / 4 = 81.25 %;                          60 % × 81.25 + 40 % × 33.333 = 62.08
  //   section-actual-average:        q3 = mean(1, 0.25) = 0.625;       s1 = 3.875 / 5 = 77.5 %;  46.5 + 13.333 = 59.83
  //   section-possible-average:      q3 = mean(0.5, 0.5, mean(0, 1/3, 1) = 4/9) = 13/27 = 0.48148;
  //                                  s1 = (3.25 + 13/27) / 5 = 74.63 %;                       44.778 + 13.333 = 58.11
  //   questionnaire-actual-average:  q3 = mean(1, 0.25, 0, 1, 0) = 0.45; s1 = 3.7 / 5 = 74 %;  44.4 + 13.333 = 57.73
  const sections = [
    section('s1', 60, [
      question('q1', 'yes-no', { weight: 3 }),
      question('q2', 'scale-1-5'),
      question('q3', 'single-choice', {
        allowNa: true,
        options: [
          { id: 'none', label: 'None', score: 0 },
          { id: 'some', label: 'Some', score: 1 },
          { id: 'all', label: 'All', score: 3 },
        ],
      }),
    ]),
    section('s2', 40, [question('q4', 'yes-partial-no'), question('q5', 'scale-0-5'), question('q6', 'yes-no')]),
  ];
  const answers: Answers = { ...values({ q1: 'yes', q2: 2, q4: 'no', q5: 5, q6: 'no' }), q3: NA };

  it.each([
    ['skip', null, 81.25, 62.08, { earned: 4.25, possible: 7 }],
    ['section-actual-average', 0.625, 77.5, 59.83, { earned: 4.88, possible: 8 }],
    ['section-possible-average', 13 / 27, 74.63, 58.11, { earned: 4.73, possible: 8 }],
    ['questionnaire-actual-average', 0.45, 74, 57.73, { earned: 4.7, possible: 8 }],
  ] as const)('%s gives q3 %s, s1 %s % and the review %s %', (naMethod, fraction, s1, percent, points) => {
    const score = scoreReview(define(sections, naMethod), [], answers);
    expect(score.questions[2]).toMatchObject({ id: 'q3', na: true, answered: true, fraction });
    expect(score.sections.map((s) => s.percent)).toEqual([s1, 33.33]);
    expect(score.percent).toBe(percent);
    expect(score.points).toEqual(points);
  });

  it('takes, for section-possible-average, 0.5 for a multiple-choice question (the mean over every selection) and leaves free text out', () => {
    const options = [1, 2, 5].map((score, index) => ({ id: `o${index}`, label: `Option ${index}`, score }));
    const definition = define(
      [section('s1', 100, [question('q1', 'multiple-choice', { options, allowNa: true }), question('q2', 'numeric-range', { range: { min: 0, max: 10 } }), question('q3', 'free-text')])],
      'section-possible-average',
    );
    // q1 = mean(0.5, 0.5) = 0.5; with q2 = 1: (0.5 + 1) / 2 = 75 %.
    expect(scoreReview(definition, [], { ...values({ q2: 10, q3: 'fine' }), q1: NA })).toMatchObject({ percent: 75, questions: [{ na: true, fraction: 0.5 }, {}, {}] });
  });

  it('skips an N/A question with no actual answer to average', () => {
    const definition = (naMethod: NaMethod) => define([section('s1', 50, [question('q1', 'yes-no', { allowNa: true })]), section('s2', 50, [question('q2', 'yes-no', { allowNa: true })])], naMethod);
    expect(scoreReview(definition('section-actual-average'), [], { q1: NA, q2: { value: 'no' } })).toMatchObject({ percent: 0, questions: [{ na: true, fraction: null, possible: 0 }, {}] });
    expect(scoreReview(definition('questionnaire-actual-average'), [], { q1: NA, q2: NA })).toMatchObject({ percent: null, unscoredReason: 'all-not-applicable' });
  });

  it.each(['skip', 'section-actual-average', 'questionnaire-actual-average'] as const)('with %s, all N/A leaves the review unscored', (naMethod) => {
    const definition = define([section('s1', 100, [question('q1', 'yes-no', { allowNa: true }), question('q2', 'scale-1-5', { allowNa: true })])], naMethod);
    expect(scoreReview(definition, tiers, { q1: NA, q2: NA })).toMatchObject({ percent: null, unscoredReason: 'all-not-applicable', tier: null, points: { earned: 0, possible: 0 }, failed: false });
  });

  it('with section-possible-average too, all N/A leaves the review unscored: N/A answers alone are no score', () => {
    const definition = define([section('s1', 100, [question('q1', 'yes-no', { allowNa: true }), question('q2', 'scale-1-5', { allowNa: true })])], 'section-possible-average');
    expect(scoreReview(definition, tiers, { q1: NA, q2: NA })).toMatchObject({ percent: null, unscoredReason: 'all-not-applicable', tier: null, failed: false });
  });

  it("leaves a 'points' review with nothing possible unscored", () => {
    const definition = define([section('s1', 100, [question('q1', 'yes-no', { allowNa: true })])], 'skip', 'points');
    expect(scoreReview(definition, tiers, { q1: NA })).toMatchObject({ percent: null, unscoredReason: 'all-not-applicable', tier: null });
  });
});

describe('critical questions', () => {
  const sections = (effect: 'fail-section' | 'fail-all') => [
    section('s1', 20, [question('q1', 'yes-no', { critical: effect, allowNa: true }), question('q2', 'yes-no')]),
    section('s2', 80, [question('q3', 'yes-no')]),
  ];

  it("'fail-section' makes its section 0 % and 0 points, and the review failed in the lowest tier", () => {
    // Not failed, 50 % × 20 + 100 % × 80 would be 90 %, 'exceeds'.
    const score = scoreReview(define(sections('fail-section')), tiers, values({ q1: 'no', q2: 'yes', q3: 'yes' }));
    expect(score).toMatchObject({
      percent: 80,
      points: { earned: 1, possible: 3 },
      failed: true,
      criticalFailures: [{ questionId: 'q1', sectionId: 's1', effect: 'fail-section' }],
      tier: { name: 'below', needsTraining: true },
    });
    expect(score.sections).toEqual([
      { id: 's1', weight: 20, percent: 0, failed: true },
      { id: 's2', weight: 80, percent: 100, failed: false },
    ]);
  });

  it("'fail-all' makes the whole review 0 % and 0 points", () => {
    const score = scoreReview(define(sections('fail-all')), tiers, values({ q1: 'no', q2: 'yes', q3: 'yes' }));
    expect(score).toMatchObject({ percent: 0, points: { earned: 0, possible: 3 }, failed: true, criticalFailures: [{ questionId: 'q1', sectionId: 's1', effect: 'fail-all' }], unscoredReason: null });
    expect(score.tier).toEqual({ name: 'below', needsTraining: true });
  });

  it('fails only when answered with a fraction of 0, never when N/A', () => {
    expect(scoreReview(define(sections('fail-all')), tiers, { ...values({ q2: 'yes', q3: 'yes' }), q1: NA })).toMatchObject({ percent: 100, failed: false, criticalFailures: [] });
    const scale = define([section('s1', 100, [question('q1', 'scale-1-5', { critical: 'fail-all' }), question('q2', 'yes-no')])]);
    expect(scoreReview(scale, tiers, values({ q1: 2, q2: 'yes' }))).toMatchObject({ percent: 62.5, failed: false });
    expect(scoreReview(scale, tiers, values({ q1: 1, q2: 'yes' }))).toMatchObject({ percent: 0, failed: true });
  });
});

describe('tiers', () => {
  it.each([
    [0, 'below'],
    [59.99, 'below'],
    [60, 'meets'],
    [89.99, 'meets'],
    [90, 'exceeds'],
    [100, 'exceeds'],
  ])('puts %d in %s', (percent, name) => {
    expect(tierFor(tiers, percent, false)?.name).toBe(name);
  });

  it('puts a failed review in the lowest tier, and has no tier without tiers or a score', () => {
    expect(tierFor(tiers, 95, true)?.name).toBe('below');
    expect(tierFor(tiers, null, true)?.name).toBe('below');
    expect(tierFor(tiers, null, false)).toBeNull();
    expect(tierFor([], 95, false)).toBeNull();
    expect(tierFor([], 95, true)).toBeNull();
  });

  it('takes the tier of the rounded percent the reviewer sees: 59.996 % is shown as 60 %, so it meets', () => {
    const definition = define([section('s1', 100, [question('q1', 'numeric-range', { range: { min: 0, max: 100_000 } })])]);
    expect(scoreReview(definition, tiers, values({ q1: 59_996 }))).toMatchObject({ percent: 60, tier: { name: 'meets', needsTraining: false } });
  });
});

describe('scoring any valid review', () => {
  const weights = (count: number) =>
    fc.array(fc.integer({ min: 0, max: 100 }), { minLength: count - 1, maxLength: count - 1 }).map((cuts) => {
      const bounds = [0, ...cuts.sort((a, b) => a - b), 100];
      return bounds.slice(1).map((bound, index) => bound - bounds[index]!);
    });
  const questionInput = (id: string) =>
    fc
      .record({
        type: fc.constantFrom(...QUESTION_TYPES),
        weight: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 1000, noNaN: true })),
        allowNa: fc.boolean(),
        critical: fc.constantFrom(null, null, 'fail-section' as const, 'fail-all' as const),
        scores: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 5 }),
        range: fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 1000 })),
      })
      .map(({ type, weight, allowNa, critical, scores, range: [min, span] }): QuestionInput => ({
        ...question(id, type, { weight, allowNa, critical: type === 'free-text' ? null : critical }),
        ...(type === 'single-choice' || type === 'multiple-choice' ? { options: scores.map((score, index) => ({ id: `o${index}`, label: `Option ${index}`, score })) } : {}),
        ...(type === 'numeric-range' ? { range: { min, max: min + span } } : {}),
      }));
  const definitionInput = fc.integer({ min: 1, max: 4 }).chain((count) =>
    fc.record({
      scoring: fc.constantFrom<ScoringMode>('percentage', 'points'),
      naMethod: fc.constantFrom<NaMethod>('skip', 'section-actual-average', 'section-possible-average', 'questionnaire-actual-average'),
      sections: weights(count).chain((sectionWeights) =>
        fc.tuple(
          ...sectionWeights.map((weight, s) =>
            fc.integer({ min: 1, max: 5 }).chain((size) => fc.tuple(...Array.from({ length: size }, (_, q) => questionInput(`q${s}_${q}`))).map((questions) => section(`s${s}`, weight, questions))),
          ),
        ),
      ),
    }),
  );
  const valueFor = (q: QuestionnaireDefinition['sections'][number]['questions'][number]): fc.Arbitrary<Value> => {
    const optionIds = (q.options ?? []).map((option) => option.id);
    switch (q.type) {
      case 'yes-no':
        return fc.constantFrom('yes', 'no');
      case 'yes-partial-no':
        return fc.constantFrom('yes', 'partial', 'no');
      case 'scale-1-5':
        return fc.integer({ min: 1, max: 5 });
      case 'scale-0-5':
        return fc.integer({ min: 0, max: 5 });
      case 'single-choice':
        return fc.constantFrom(...optionIds);
      case 'multiple-choice':
        return fc.subarray(optionIds);
      case 'numeric-range':
        return fc.double({ min: q.range!.min, max: q.range!.max, noNaN: true });
      case 'free-text':
        return fc.string({ maxLength: 20 });
    }
  };
  const review = definitionInput.chain((input) => {
    const definition = questionnaireDefinitionSchema.parse(input);
    const questions = definition.sections.flatMap((s) => s.questions);
    const answer = (q: (typeof questions)[number]) =>
      fc.oneof(fc.constant(undefined), valueFor(q).map((value) => ({ value })), ...(q.allowNa ? [fc.constant(NA)] : []));
    return fc.tuple(...questions.map(answer)).map((given) => {
      const answers: Answers = {};
      given.forEach((a, index) => {
        if (a) answers[questions[index]!.id] = a;
      });
      return { definition, answers };
    });
  });

  it('gives a percent within [0, 100] or none, earns no more than possible, and is deterministic', () => {
    fc.assert(
      fc.property(review, ({ definition, answers }) => {
        expect(answerProblems(definition, answers, { complete: false })).toEqual([]);
        const score = scoreReview(definition, tiers, answers);
        if (score.percent === null) {
          expect(score.unscoredReason).toBe('all-not-applicable');
        } else {
          expect(score.percent).toBeGreaterThanOrEqual(0);
          expect(score.percent).toBeLessThanOrEqual(100);
          expect(score.tier).not.toBeNull();
        }
        expect(score.points.earned).toBeLessThanOrEqual(score.points.possible);
        expect(scoreReview(structuredClone(definition), tiers, structuredClone(answers))).toEqual(score);
      }),
      { numRuns: 200 },
    );
  });
});
