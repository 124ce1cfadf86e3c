import { z } from 'zod';

/**
 * A questionnaire version as reviewers fill it in: sections of typed questions, the way N/A answers are
 * scored, the tiers a score falls in, and the answers themselves. The schemas are the single source of
 * truth for what a version may hold; `answerProblems` says what is wrong with answers given to one.
 */
export const QUESTION_TYPES = ['yes-no', 'yes-partial-no', 'scale-1-5', 'scale-0-5', 'single-choice', 'multiple-choice', 'numeric-range', 'free-text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const NA_METHODS = ['section-actual-average', 'section-possible-average', 'skip', 'questionnaire-actual-average'] as const;
export type NaMethod = (typeof NA_METHODS)[number];
export const SCORING_MODES = ['percentage', 'points'] as const;
export type ScoringMode = (typeof SCORING_MODES)[number];
export const CRITICAL_EFFECTS = ['fail-section', 'fail-all'] as const;

const CHOICE_TYPES: readonly QuestionType[] = ['single-choice', 'multiple-choice'];
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id is 1 to 64 letters, digits, _ or -, starting with a letter or digit');
const MAX_ANSWERS = 1000;

export const questionSchema = z.object({
  id,
  text: z.string().min(1).max(2000),
  type: z.enum(QUESTION_TYPES),
  /** The points the question is worth. */
  weight: z.number().min(0).max(1000).default(1),
  allowNa: z.boolean().default(false),
  commentRequired: z.boolean().default(false),
  required: z.boolean().default(true),
  critical: z.enum(CRITICAL_EFFECTS).nullable().default(null),
  options: z.array(z.object({ id, label: z.string().min(1).max(500), score: z.number().min(0).max(1000) })).max(100).optional(),
  range: z.object({ min: z.number(), max: z.number() }).optional(),
});
export type Question = z.infer<typeof questionSchema>;

export const sectionSchema = z.object({
  id,
  title: z.string().min(1).max(500),
  weight: z.number().min(0).max(100),
  questions: z.array(questionSchema).min(1).max(200),
});
export type Section = z.infer<typeof sectionSchema>;

type IssuePath = (string | number)[];
type Report = (path: IssuePath, message: string) => void;

function questionIssues(question: Question, report: Report): void {
  const { type, options, range } = question;
  if (CHOICE_TYPES.includes(type)) {
    if (!options || options.length < 2) report(['options'], `a ${type} question needs at least 2 options`);
    const seen = new Set<string>();
    options?.forEach((option, index) => {
      if (seen.has(option.id)) report(['options', index, 'id'], `option id '${option.id}' is used twice`);
      seen.add(option.id);
    });
  } else if (options !== undefined) {
    report(['options'], `a ${type} question takes no options`);
  }
  if (type === 'numeric-range') {
    if (!range) report(['range'], 'a numeric-range question needs a range');
    else if (range.min >= range.max) report(['range', 'max'], `the range's max (${range.max}) must be greater than its min (${range.min})`);
  } else if (range !== undefined) {
    report(['range'], `a ${type} question takes no range`);
  }
  // Free text is never scored, so there is no fraction of 0 that could fail it.
  if (type === 'free-text' && question.critical !== null) report(['critical'], 'a free-text question cannot be critical');
}

/** Float sums of weights like 33.3 + 33.3 + 33.4 miss 100 by a rounding error only. */
const WEIGHT_TOLERANCE = 1e-9;

export const questionnaireDefinitionSchema = z
  .object({
    scoring: z.enum(SCORING_MODES),
    naMethod: z.enum(NA_METHODS),
    sections: z.array(sectionSchema).min(1).max(50),
  })
  .superRefine((definition, ctx) => {
    const report = (path: IssuePath, message: string) => ctx.addIssue({ code: 'custom', path, message });
    const sectionIds = new Set<string>();
    const questionIds = new Set<string>();
    definition.sections.forEach((section, s) => {
      if (sectionIds.has(section.id)) report(['sections', s, 'id'], `section id '${section.id}' is used twice`);
      sectionIds.add(section.id);
      section.questions.forEach((question, q) => {
        const at = ['sections', s, 'questions', q];
        if (questionIds.has(question.id)) report([...at, 'id'], `question id '${question.id}' is used twice in this questionnaire`);
        questionIds.add(question.id);
        questionIssues(question, (path, message) => report([...at, ...path], message));
      });
    });
    if (definition.scoring === 'percentage') {
      const sum = definition.sections.reduce((total, section) => total + section.weight, 0);
      if (Math.abs(sum - 100) > WEIGHT_TOLERANCE) report(['sections'], `section weights must sum to 100 (they sum to ${Math.round(sum * 1e6) / 1e6})`);
    }
  });
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinitionSchema>;

export const scoringTierSchema = z.object({
  name: z.string().min(1).max(100),
  from: z.number().min(0).max(100),
  to: z.number().min(0).max(100),
  needsTraining: z.boolean().default(false),
  /** The training pack a completed review in this tier assigns to its agent (only where `needsTraining`). */
  trainingPackId: z.string().uuid().optional(),
});
export type ScoringTier = z.infer<typeof scoringTierSchema>;

/** No tiers at all is allowed; otherwise, in order of `from`, they cover 0 to 100 without gaps or overlaps. */
export const scoringTiersSchema = z
  .array(scoringTierSchema)
  .max(20)
  .superRefine((tiers, ctx) => {
    const report = (path: IssuePath, message: string) => ctx.addIssue({ code: 'custom', path, message });
    const names = new Set<string>();
    tiers.forEach((tier, index) => {
      if (names.has(tier.name)) report([index, 'name'], `tier name '${tier.name}' is used twice`);
      names.add(tier.name);
      if (tier.from >= tier.to) report([index, 'to'], `tier '${tier.name}' ends at ${tier.to}, not after its start at ${tier.from}`);
    });
    const ordered = tiers.map((tier, index) => ({ tier, index })).sort((a, b) => a.tier.from - b.tier.from || a.tier.to - b.tier.to);
    const first = ordered[0];
    const last = ordered[ordered.length - 1];
    if (!first || !last) return;
    if (first.tier.from !== 0) report([first.index, 'from'], `the first tier '${first.tier.name}' starts at ${first.tier.from}, not at 0`);
    if (last.tier.to !== 100) report([last.index, 'to'], `the last tier '${last.tier.name}' ends at ${last.tier.to}, not at 100`);
    for (let i = 1; i < ordered.length; i++) {
      const previous = ordered[i - 1]!.tier;
      const { tier, index } = ordered[i]!;
      if (tier.from === previous.to) continue;
      const kind = tier.from > previous.to ? 'a gap' : 'an overlap';
      report([index, 'from'], `tier '${tier.name}' starts at ${tier.from} but the previous tier ends at ${previous.to} (${kind})`);
    }
  });

export const answerSchema = z.object({
  value: z.union([z.string().max(10000), z.number(), z.boolean(), z.array(z.string().max(100)).max(100)]).optional(),
  na: z.boolean().optional(),
  comment: z.string().max(4000).optional(),
});
export type Answer = z.infer<typeof answerSchema>;

export const answersSchema = z.record(id, answerSchema).refine((answers) => Object.keys(answers).length <= MAX_ANSWERS, `at most ${MAX_ANSWERS} answers`);
export type Answers = z.infer<typeof answersSchema>;

/** The answer to one question; an own property only, so that a question id like `toString` finds no answer. */
export function answerTo(answers: Answers, questionId: string): Answer | undefined {
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

export interface AnswerProblem {
  path: string;
  message: string;
}

const isInteger = (value: Answer['value'], min: number, max: number): boolean => typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
const quoted = (words: readonly string[]) => words.map((word) => `'${word}'`).join(', ');

/** Why this value is no answer to this question, or null when it is one. */
function valueProblem(question: Question, value: NonNullable<Answer['value']>): string | null {
  const optionIds = (question.options ?? []).map((option) => option.id);
  switch (question.type) {
    case 'yes-no':
      return value === 'yes' || value === 'no' ? null : "the answer must be 'yes' or 'no'";
    case 'yes-partial-no':
      return value === 'yes' || value === 'partial' || value === 'no' ? null : "the answer must be 'yes', 'partial' or 'no'";
    case 'scale-1-5':
      return isInteger(value, 1, 5) ? null : 'the answer must be a whole number from 1 to 5';
    case 'scale-0-5':
      return isInteger(value, 0, 5) ? null : 'the answer must be a whole number from 0 to 5';
    case 'single-choice':
      return typeof value === 'string' && optionIds.includes(value) ? null : `the answer must be one of the options ${quoted(optionIds)}`;
    case 'multiple-choice': {
      if (!Array.isArray(value)) return `the answer must be a list of options from ${quoted(optionIds)}`;
      const unknown = value.filter((chosen) => !optionIds.includes(chosen));
      if (unknown.length > 0) return `${quoted(unknown)} ${unknown.length === 1 ? 'is not an option' : 'are not options'}; the options are ${quoted(optionIds)}`;
      return new Set(value).size === value.length ? null : 'an option is chosen more than once';
    }
    case 'numeric-range': {
      const { min, max } = question.range ?? { min: -Infinity, max: Infinity };
      return typeof value === 'number' && value >= min && value <= max ? null : `the answer must be a number from ${min} to ${max}`;
    }
    case 'free-text':
      return typeof value === 'string' ? null : 'the answer must be text';
  }
}

function questionProblems(question: Question, answer: Answer | undefined, complete: boolean): AnswerProblem[] {
  const path = `answers.${question.id}`;
  const na = answer?.na === true;
  const hasValue = answer?.value !== undefined;
  const problems: AnswerProblem[] = [];
  const problem = (message: string, at = path) => problems.push({ path: at, message });
  if (hasValue && na) problem('an answer is either a value or N/A, not both');
  if (na && !question.allowNa) problem(`question ${question.id} does not allow N/A`);
  if (answer?.value !== undefined) {
    const message = valueProblem(question, answer.value);
    if (message) problem(message);
  }
  if ((hasValue || na) && question.commentRequired && !answer?.comment?.trim()) problem(`question ${question.id} needs a comment`, `${path}.comment`);
  if (complete && question.required && !hasValue && !na) problem(`question ${question.id} is required and not answered`);
  return problems;
}

/** What is wrong with these answers for this version; `complete` also requires every required question to be answered (a value or N/A). */
export function answerProblems(definition: QuestionnaireDefinition, answers: Answers, options: { complete: boolean }): AnswerProblem[] {
  const questions = definition.sections.flatMap((section) => section.questions);
  const known = new Set(questions.map((question) => question.id));
  const unknown = Object.keys(answers)
    .filter((questionId) => !known.has(questionId))
    .map((questionId) => ({ path: `answers.${questionId}`, message: `question ${questionId} is not in this questionnaire version` }));
  return [...questions.flatMap((question) => questionProblems(question, answerTo(answers, question.id), options.complete)), ...unknown];
}
