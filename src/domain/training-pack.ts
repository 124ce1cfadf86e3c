import { z } from 'zod';

/**
 * A training pack's content (the seed's eLearning: instructions, a reference interaction, a presentation
 * and a quiz). Versioned like a questionnaire: an assignment keeps the version it was given.
 */
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an id is 1 to 64 letters, digits, _ or -, starting with a letter or digit');

export const quizOptionSchema = z.object({
  id,
  text: z.string().min(1).max(2000),
});

export const quizQuestionSchema = z
  .object({
    id,
    text: z.string().min(1).max(4000),
    /** single: exactly one option is correct and one is chosen; multiple: the chosen set must equal the correct set. */
    kind: z.enum(['single', 'multiple']),
    options: z.array(quizOptionSchema).min(2).max(20),
    /** Option ids; never sent to a trainee before they submit. */
    correct: z.array(id).min(1).max(20),
  })
  .superRefine((question, ctx) => {
    const optionIds = new Set(question.options.map((option) => option.id));
    if (optionIds.size !== question.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
    question.correct.forEach((optionId, index) => {
      if (!optionIds.has(optionId)) ctx.addIssue({ code: 'custom', path: ['correct', index], message: `'${optionId}' is not an option of question '${question.id}'` });
    });
    if (new Set(question.correct).size !== question.correct.length) ctx.addIssue({ code: 'custom', path: ['correct'], message: 'a correct option is listed twice' });
    if (question.kind === 'single' && question.correct.length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['correct'], message: 'a single-choice question has exactly one correct option' });
    }
  });

export const quizSchema = z
  .object({
    questions: z.array(quizQuestionSchema).min(1).max(100),
    /** Percentage of questions answered correctly needed to pass (0 to 100). */
    passMarkPercent: z.number().min(0).max(100),
    /** How many submissions the trainee has before the follow-up is marked failed. */
    attemptsAllowed: z.number().int().min(1).max(10),
  })
  .superRefine((quiz, ctx) => {
    const ids = new Set<string>();
    quiz.questions.forEach((question, index) => {
      if (ids.has(question.id)) ctx.addIssue({ code: 'custom', path: ['questions', index, 'id'], message: `question id '${question.id}' is used twice` });
      ids.add(question.id);
    });
  });
export type Quiz = z.infer<typeof quizSchema>;
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;

/** A presentation file, kept in the content-addressed media store; the digest is how it is fetched and proved. */
export const presentationFileSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256'),
  fileName: z.string().min(1).max(255),
  mediaType: z.string().min(1).max(255),
  sizeBytes: z.number().int().min(0),
});
export type PresentationFile = z.infer<typeof presentationFileSchema>;

export const trainingPackDefinitionSchema = z.object({
  instructions: z.string().min(1).max(100_000),
  /** A stored conversation the trainee may play; the assignment grants them access to it. */
  referenceConversationId: z.string().uuid().nullable().default(null),
  presentation: z.array(presentationFileSchema).max(50).default([]),
  quiz: quizSchema,
});
export type TrainingPackDefinition = z.infer<typeof trainingPackDefinitionSchema>;

/** A trainee's answers: question id → chosen option ids. */
export const quizAnswersSchema = z.record(id, z.array(id).max(20)).refine((answers) => Object.keys(answers).length <= 100, 'at most 100 answers');
export type QuizAnswers = z.infer<typeof quizAnswersSchema>;
