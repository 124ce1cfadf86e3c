import type { Quiz, QuizAnswers } from './training-pack.js';

/**
 * Scoring a training quiz: the one answer to "did the trainee pass", used by the attempt service and its
 * tests. A question counts as correct when the chosen options are exactly its correct options (for a
 * single-choice question: the one correct option); an unanswered question is wrong.
 */
export interface QuizScore {
  /** Percentage of questions answered correctly, rounded to two decimals (0 to 100). */
  scorePercent: number;
  passed: boolean;
  perQuestion: { questionId: string; correct: boolean }[];
}

const sameSet = (chosen: readonly string[], correct: readonly string[]) => {
  const wanted = new Set(correct);
  const given = new Set(chosen);
  return given.size === wanted.size && [...given].every((id) => wanted.has(id));
};

export function scoreQuiz(quiz: Quiz, answers: QuizAnswers): QuizScore {
  const perQuestion = quiz.questions.map((question) => {
    const chosen = answers[question.id] ?? [];
    const correct = (question.kind === 'single' ? chosen.length === 1 : true) && sameSet(chosen, question.correct);
    return { questionId: question.id, correct };
  });
  const right = perQuestion.filter((question) => question.correct).length;
  const total = quiz.questions.length;
  // Compared in whole numbers, so a pass mark of exactly the achieved share passes despite rounding.
  const passed = right * 100 >= quiz.passMarkPercent * total;
  return { scorePercent: Math.round((right * 10_000) / total) / 100, passed, perQuestion };
}

export interface AnswerProblem {
  path: string;
  message: string;
}

/** What is wrong with a submission for this quiz: unknown questions or options, several choices for a single-choice question, repeats. */
export function quizAnswerProblems(quiz: Quiz, answers: QuizAnswers): AnswerProblem[] {
  const questions = new Map(quiz.questions.map((question) => [question.id, question]));
  const problems: AnswerProblem[] = [];
  for (const [questionId, chosen] of Object.entries(answers)) {
    const question = questions.get(questionId);
    const path = `answers.${questionId}`;
    if (!question) {
      problems.push({ path, message: `the quiz has no question '${questionId}'` });
      continue;
    }
    const options = new Set(question.options.map((option) => option.id));
    chosen.forEach((optionId, index) => {
      if (!options.has(optionId)) problems.push({ path: `${path}.${index}`, message: `'${optionId}' is not an option of question '${questionId}'` });
    });
    if (new Set(chosen).size !== chosen.length) problems.push({ path, message: 'an option is chosen twice' });
    if (question.kind === 'single' && chosen.length > 1) problems.push({ path, message: 'a single-choice question takes one option' });
  }
  return problems;
}

/** The quiz as a trainee sees it: questions and options, never which options are correct. */
export interface TraineeQuiz {
  questions: { id: string; text: string; kind: 'single' | 'multiple'; options: { id: string; text: string }[] }[];
  passMarkPercent: number;
  attemptsAllowed: number;
}

export function quizForTrainee(quiz: Quiz): TraineeQuiz {
  return {
    questions: quiz.questions.map((question) => ({
      id: question.id,
      text: question.text,
      kind: question.kind,
      options: question.options.map((option) => ({ id: option.id, text: option.text })),
    })),
    passMarkPercent: quiz.passMarkPercent,
    attemptsAllowed: quiz.attemptsAllowed,
  };
}
