import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { answerProblems, questionnaireDefinitionSchema, scoringTiersSchema, type Answers } from '../../src/domain/questionnaire.js';

type DefinitionInput = z.input<typeof questionnaireDefinitionSchema>;
type QuestionInput = DefinitionInput['sections'][number]['questions'][number];

const question = (id: string, type: QuestionInput['type'], extra: Partial<QuestionInput> = {}): QuestionInput => ({ id, text: `Question ${id}?`, type, ...extra });
const oneSection = (questions: QuestionInput[]): DefinitionInput => ({ scoring: 'percentage', naMethod: 'skip', sections: [{ id: 's1', title: 'Greeting', weight: 100, questions }] });
const issues = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
};
const definitionIssues = (input: DefinitionInput) => issues(questionnaireDefinitionSchema, input);
const at = (q: number, ...rest: (string | number)[]) => ['sections', 0, 'questions', q, ...rest];
const options = (...ids: string[]) => ids.map((id, index) => ({ id, label: id.toUpperCase(), score: index }));

describe('the questionnaire definition', () => {
  it('accepts a valid definition and applies the defaults', () => {
    const definition = questionnaireDefinitionSchema.parse(oneSection([question('q1', 'yes-no'), question('q2', 'single-choice', { weight: 3, allowNa: true, options: options('a', 'b') })]));
    expect(definition).toEqual({
      scoring: 'percentage',
      naMethod: 'skip',
      sections: [
        {
          id: 's1',
          title: 'Greeting',
          weight: 100,
          questions: [
            { id: 'q1', text: 'Question q1?', type: 'yes-no', weight: 1, allowNa: false, commentRequired: false, required: true, critical: null },
            {
              id: 'q2',
              text: 'Question q2?',
              type: 'single-choice',
              weight: 3,
              allowNa: true,
              commentRequired: false,
              required: true,
              critical: null,
              options: [
                { id: 'a', label: 'A', score: 0 },
                { id: 'b', label: 'B', score: 1 },
              ],
            },
          ],
        },
      ],
    });
  });

  it('refuses an id outside the pattern', () => {
    expect(definitionIssues(oneSection([question('-q1', 'yes-no')]))).toEqual([
      { path: at(0, 'id'), message: 'an id is 1 to 64 letters, digits, _ or -, starting with a letter or digit' },
    ]);
    expect(definitionIssues(oneSection([question('q'.repeat(65), 'yes-no')]))).toHaveLength(1);
    expect(definitionIssues(oneSection([question('Q_1-a', 'yes-no')]))).toEqual([]);
  });

  it('refuses a duplicate section id', () => {
    const section = { id: 's1', title: 'Greeting', weight: 50, questions: [question('q1', 'yes-no')] };
    expect(definitionIssues({ scoring: 'percentage', naMethod: 'skip', sections: [section, { ...section, questions: [question('q2', 'yes-no')] }] })).toEqual([
      { path: ['sections', 1, 'id'], message: "section id 's1' is used twice" },
    ]);
  });

  it('refuses a question id used twice in the whole questionnaire, even in different sections', () => {
    const sections = [
      { id: 's1', title: 'Greeting', weight: 50, questions: [question('q1', 'yes-no')] },
      { id: 's2', title: 'Closing', weight: 50, questions: [question('q2', 'yes-no'), question('q1', 'scale-1-5')] },
    ];
    expect(definitionIssues({ scoring: 'percentage', naMethod: 'skip', sections })).toEqual([
      { path: ['sections', 1, 'questions', 1, 'id'], message: "question id 'q1' is used twice in this questionnaire" },
    ]);
  });

  it('refuses a choice question with fewer than 2 options or with a duplicate option id', () => {
    expect(definitionIssues(oneSection([question('q1', 'single-choice', { options: options('a') }), question('q2', 'multiple-choice')]))).toEqual([
      { path: at(0, 'options'), message: 'a single-choice question needs at least 2 options' },
      { path: at(1, 'options'), message: 'a multiple-choice question needs at least 2 options' },
    ]);
    expect(definitionIssues(oneSection([question('q1', 'multiple-choice', { options: options('a', 'b', 'a') })]))).toEqual([
      { path: at(0, 'options', 2, 'id'), message: "option id 'a' is used twice" },
    ]);
  });

  it('refuses a numeric-range question without a range or with min >= max', () => {
    expect(definitionIssues(oneSection([question('q1', 'numeric-range')]))).toEqual([{ path: at(0, 'range'), message: 'a numeric-range question needs a range' }]);
    expect(definitionIssues(oneSection([question('q1', 'numeric-range', { range: { min: 5, max: 5 } })]))).toEqual([
      { path: at(0, 'range', 'max'), message: "the range's max (5) must be greater than its min (5)" },
    ]);
    expect(definitionIssues(oneSection([question('q1', 'numeric-range', { range: { min: -5, max: 5 } })]))).toEqual([]);
  });

  it('refuses options or a range on a type that takes none', () => {
    expect(definitionIssues(oneSection([question('q1', 'yes-no', { options: options('a', 'b') }), question('q2', 'scale-1-5', { range: { min: 0, max: 1 } })]))).toEqual([
      { path: at(0, 'options'), message: 'a yes-no question takes no options' },
      { path: at(1, 'range'), message: 'a scale-1-5 question takes no range' },
    ]);
  });

  it('refuses a critical free-text question', () => {
    expect(definitionIssues(oneSection([question('q1', 'free-text', { critical: 'fail-all' })]))).toEqual([{ path: at(0, 'critical'), message: 'a free-text question cannot be critical' }]);
    expect(definitionIssues(oneSection([question('q1', 'yes-no', { critical: 'fail-section' })]))).toEqual([]);
  });

  it("refuses section weights that do not sum to 100 in 'percentage' mode, and allows a 0 % section", () => {
    const sections = (...weights: number[]) => weights.map((weight, index) => ({ id: `s${index}`, title: `Section ${index}`, weight, questions: [question(`q${index}`, 'yes-no')] }));
    expect(definitionIssues({ scoring: 'percentage', naMethod: 'skip', sections: sections(60, 30) })).toEqual([
      { path: ['sections'], message: 'section weights must sum to 100 (they sum to 90)' },
    ]);
    expect(definitionIssues({ scoring: 'percentage', naMethod: 'skip', sections: sections(70, 30, 0) })).toEqual([]);
    expect(definitionIssues({ scoring: 'percentage', naMethod: 'skip', sections: sections(33.3, 33.3, 33.4) })).toEqual([]);
    expect(definitionIssues({ scoring: 'points', naMethod: 'skip', sections: sections(60, 30) })).toEqual([]);
  });
});

describe('the scoring tiers', () => {
  const tier = (name: string, from: number, to: number) => ({ name, from, to });

  it('accepts no tiers, and valid tiers given out of order, with needsTraining defaulting to false', () => {
    expect(scoringTiersSchema.parse([])).toEqual([]);
    expect(scoringTiersSchema.parse([tier('exceeds', 90, 100), { ...tier('below', 0, 60), needsTraining: true }, tier('meets', 60, 90)])).toEqual([
      { name: 'exceeds', from: 90, to: 100, needsTraining: false },
      { name: 'below', from: 0, to: 60, needsTraining: true },
      { name: 'meets', from: 60, to: 90, needsTraining: false },
    ]);
  });

  it('refuses a gap between tiers', () => {
    expect(issues(scoringTiersSchema, [tier('below', 0, 50), tier('exceeds', 90, 100), tier('meets', 70, 90), tier('low', 50, 60)])).toEqual([
      { path: [2, 'from'], message: "tier 'meets' starts at 70 but the previous tier ends at 60 (a gap)" },
    ]);
  });

  it('refuses overlapping tiers', () => {
    expect(issues(scoringTiersSchema, [tier('below', 0, 65), tier('meets', 60, 100)])).toEqual([
      { path: [1, 'from'], message: "tier 'meets' starts at 60 but the previous tier ends at 65 (an overlap)" },
    ]);
  });

  it('refuses tiers that do not start at 0 or do not end at 100', () => {
    expect(issues(scoringTiersSchema, [tier('meets', 60, 100), tier('below', 10, 60)])).toEqual([{ path: [1, 'from'], message: "the first tier 'below' starts at 10, not at 0" }]);
    expect(issues(scoringTiersSchema, [tier('below', 0, 60), tier('meets', 60, 99)])).toEqual([{ path: [1, 'to'], message: "the last tier 'meets' ends at 99, not at 100" }]);
  });

  it('refuses a tier that does not end after it starts, and a name used twice', () => {
    expect(issues(scoringTiersSchema, [tier('below', 0, 60), tier('empty', 60, 60), tier('meets', 60, 100)])).toEqual([
      { path: [1, 'to'], message: "tier 'empty' ends at 60, not after its start at 60" },
    ]);
    expect(issues(scoringTiersSchema, [tier('ok', 0, 60), tier('ok', 60, 100)])).toEqual([{ path: [1, 'name'], message: "tier name 'ok' is used twice" }]);
  });
});

describe('answer problems', () => {
  const choices = [
    { id: 'a', label: 'A', score: 0 },
    { id: 'b', label: 'B', score: 1 },
    { id: 'c', label: 'C', score: 2 },
  ];
  const definition = questionnaireDefinitionSchema.parse(
    oneSection([
      question('yn', 'yes-no'),
      question('ypn', 'yes-partial-no'),
      question('s15', 'scale-1-5'),
      question('s05', 'scale-0-5'),
      question('single', 'single-choice', { options: choices }),
      question('multi', 'multiple-choice', { options: choices }),
      question('range', 'numeric-range', { range: { min: 10, max: 20 } }),
      question('text', 'free-text', { required: false }),
      question('na', 'yes-no', { allowNa: true, commentRequired: true }),
    ]),
  );
  const complete: Answers = {
    yn: { value: 'yes' },
    ypn: { value: 'partial' },
    s15: { value: 1 },
    s05: { value: 0 },
    single: { value: 'c' },
    multi: { value: [] },
    range: { value: 12.5 },
    text: { value: 'polite' },
    na: { na: true, comment: 'no trade was discussed' },
  };
  const problems = (answers: Answers, isComplete = false) => answerProblems(definition, answers, { complete: isComplete });

  it('finds nothing wrong with a valid value for every type', () => {
    expect(problems(complete, true)).toEqual([]);
    expect(problems({ ...complete, ypn: { value: 'yes' }, s15: { value: 5 }, s05: { value: 5 }, multi: { value: ['c', 'a'] }, range: { value: 20 } }, true)).toEqual([]);
  });

  it('refuses an answer to a question not in the version', () => {
    expect(problems({ q9: { value: 'yes' } })).toEqual([{ path: 'answers.q9', message: 'question q9 is not in this questionnaire version' }]);
    expect(problems({ toString: { value: 'yes' } })).toEqual([{ path: 'answers.toString', message: 'question toString is not in this questionnaire version' }]);
  });

  it.each([
    ['yn', 'maybe', "the answer must be 'yes' or 'no'"],
    ['yn', true, "the answer must be 'yes' or 'no'"],
    ['ypn', 'mostly', "the answer must be 'yes', 'partial' or 'no'"],
    ['s15', 0, 'the answer must be a whole number from 1 to 5'],
    ['s15', 2.5, 'the answer must be a whole number from 1 to 5'],
    ['s15', '3', 'the answer must be a whole number from 1 to 5'],
    ['s05', 6, 'the answer must be a whole number from 0 to 5'],
    ['single', 'd', "the answer must be one of the options 'a', 'b', 'c'"],
    ['single', ['a'], "the answer must be one of the options 'a', 'b', 'c'"],
    ['multi', 'a', "the answer must be a list of options from 'a', 'b', 'c'"],
    ['multi', ['a', 'x', 'y'], "'x', 'y' are not options; the options are 'a', 'b', 'c'"],
    ['multi', ['x'], "'x' is not an option; the options are 'a', 'b', 'c'"],
    ['multi', ['a', 'a'], 'an option is chosen more than once'],
    ['range', 9.99, 'the answer must be a number from 10 to 20'],
    ['range', 21, 'the answer must be a number from 10 to 20'],
    ['range', '15', 'the answer must be a number from 10 to 20'],
    ['text', 42, 'the answer must be text'],
  ] as const)('refuses %s = %j: %s', (id, value, message) => {
    expect(problems({ [id]: { value: value as Answers[string]['value'] } })).toEqual([{ path: `answers.${id}`, message }]);
  });

  it('refuses both a value and N/A', () => {
    expect(problems({ na: { value: 'yes', na: true, comment: 'both' } })).toEqual([{ path: 'answers.na', message: 'an answer is either a value or N/A, not both' }]);
  });

  it('refuses N/A on a question that does not allow it', () => {
    expect(problems({ yn: { na: true } })).toEqual([{ path: 'answers.yn', message: 'question yn does not allow N/A' }]);
    expect(problems({ yn: { na: false } })).toEqual([]);
  });

  it('asks for a comment where one is required and the question is answered', () => {
    const missing = [{ path: 'answers.na.comment', message: 'question na needs a comment' }];
    expect(problems({ na: { value: 'no' } })).toEqual(missing);
    expect(problems({ na: { na: true } })).toEqual(missing);
    expect(problems({ na: { na: true, comment: '   ' } })).toEqual(missing);
    expect(problems({ na: { value: 'no', comment: 'missed the disclaimer' } })).toEqual([]);
  });

  it('takes an answer with neither value nor N/A as not answered yet', () => {
    expect(problems({ na: {} })).toEqual([]);
    expect(problems({ na: { comment: 'to check with the supervisor' } })).toEqual([]);
  });

  it('requires, when complete, every required question to have a value or N/A', () => {
    const rest = Object.fromEntries(Object.entries(complete).filter(([id]) => !['yn', 's05', 'text'].includes(id)));
    expect(problems(rest)).toEqual([]);
    expect(problems({ ...rest, s05: { comment: 'later' } }, true)).toEqual([
      { path: 'answers.yn', message: 'question yn is required and not answered' },
      { path: 'answers.s05', message: 'question s05 is required and not answered' },
    ]);
  });
});
