import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quizSchema, type Quiz } from '../../src/domain/training-pack.js';
import { renderTrainingMail, trainingNotificationFor } from '../../src/domain/training-notifications.js';
import { quizAnswerProblems, quizForTrainee, scoreQuiz } from '../../src/domain/training-quiz.js';
import { ALL_CORRECT, MOSTLY_WRONG, SAMPLE_QUIZ } from '../support/training.js';

const quiz: Quiz = quizSchema.parse(SAMPLE_QUIZ);

describe('scoreQuiz', () => {
  it('scores the share of questions answered exactly right', () => {
    expect(scoreQuiz(quiz, ALL_CORRECT)).toMatchObject({ scorePercent: 100, passed: true });
    expect(scoreQuiz(quiz, MOSTLY_WRONG)).toEqual({
      scorePercent: 33.33,
      passed: false,
      perQuestion: [
        { questionId: 'disclose', correct: true },
        { questionId: 'costs', correct: false },
        { questionId: 'advice', correct: false },
      ],
    });
  });

  it('needs the exact set for a multiple-choice question, in any order, and counts a missing answer as wrong', () => {
    expect(scoreQuiz(quiz, { ...ALL_CORRECT, costs: ['c', 'b'] }).scorePercent).toBe(100);
    expect(scoreQuiz(quiz, { ...ALL_CORRECT, costs: ['a', 'b', 'c'] }).scorePercent).toBe(66.67);
    expect(scoreQuiz(quiz, { disclose: ['start'] }).scorePercent).toBe(33.33);
  });

  it('passes exactly at the pass mark, without rounding it away', () => {
    const thirds = quizSchema.parse({ ...SAMPLE_QUIZ, passMarkPercent: 66.66666666666667 });
    expect(scoreQuiz(thirds, { ...ALL_CORRECT, advice: ['weather'] })).toMatchObject({ scorePercent: 66.67, passed: true });
    expect(scoreQuiz(quizSchema.parse({ ...SAMPLE_QUIZ, passMarkPercent: 67 }), { ...ALL_CORRECT, advice: ['weather'] }).passed).toBe(false);
  });

  const optionId = fc.constantFrom('a', 'b', 'c', 'd', 'e');
  const arbitraryQuiz = fc
    .array(
      fc.record({
        kind: fc.constantFrom('single' as const, 'multiple' as const),
        correct: fc.uniqueArray(optionId, { minLength: 1, maxLength: 5 }),
      }),
      { minLength: 1, maxLength: 12 },
    )
    .chain((questions) =>
      fc.record({
        passMarkPercent: fc.double({ min: 0, max: 100, noNaN: true }),
        attemptsAllowed: fc.integer({ min: 1, max: 10 }),
        questions: fc.constant(
          questions.map((question, index) => ({
            id: `q${index}`,
            text: `Question ${index}`,
            kind: question.kind,
            options: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, text: id })),
            correct: question.kind === 'single' ? question.correct.slice(0, 1) : question.correct,
          })),
        ),
      }),
    )
    .map((raw) => quizSchema.parse(raw));
  const arbitraryAnswers = fc.dictionary(fc.constantFrom('q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'zz'), fc.uniqueArray(optionId, { maxLength: 5 }));

  it('never scores above 100 or below 0, and a fully correct answer set always passes', () => {
    fc.assert(
      fc.property(arbitraryQuiz, arbitraryAnswers, (generated, answers) => {
        const score = scoreQuiz(generated, answers);
        expect(score.scorePercent).toBeGreaterThanOrEqual(0);
        expect(score.scorePercent).toBeLessThanOrEqual(100);
        const perfect = Object.fromEntries(generated.questions.map((question) => [question.id, [...question.correct].reverse()]));
        expect(scoreQuiz(generated, perfect)).toMatchObject({ scorePercent: 100, passed: true });
      }),
    );
  });
});

describe('quizForTrainee', () => {
  it('keeps questions and options but never the correct answers', () => {
    const view = quizForTrainee(quiz);
    expect(JSON.stringify(view)).not.toContain('correct');
    expect(view.questions.map((question) => question.options.length)).toEqual([2, 3, 2]);
    expect(view).toMatchObject({ passMarkPercent: 60, attemptsAllowed: 2 });
  });
});

describe('quizAnswerProblems', () => {
  it('names unknown questions and options, repeats and a second choice of a single-choice question', () => {
    expect(quizAnswerProblems(quiz, ALL_CORRECT)).toEqual([]);
    expect(quizAnswerProblems(quiz, { nope: ['a'], costs: ['b', 'b'], disclose: ['start', 'end'], advice: ['x'] }).map((problem) => problem.path)).toEqual([
      'answers.nope',
      'answers.costs',
      'answers.disclose',
      'answers.advice.0',
    ]);
  });
});

describe('training notifications', () => {
  it('mails the trainee about assignment and reminders, the supervisors about a failure, nobody about a re-assignment', () => {
    const parties = { assigneeUserId: 'agent', supervisorUserIds: ['sup-1', 'sup-2'] };
    expect(trainingNotificationFor('assigned', parties)).toEqual({ kind: 'training-assigned', recipientUserIds: ['agent'] });
    expect(trainingNotificationFor('reminded', parties)).toEqual({ kind: 'training-reminder', recipientUserIds: ['agent'] });
    expect(trainingNotificationFor('failed', parties)).toEqual({ kind: 'training-failed', recipientUserIds: ['sup-1', 'sup-2'] });
    expect(trainingNotificationFor('reassigned', parties)).toBeUndefined();
    expect(trainingNotificationFor('passed', parties)).toBeUndefined();
  });

  it('renders ids, a link path and the time in the recipient zone, escaping HTML', () => {
    const mail = renderTrainingMail({
      kind: 'training-assigned',
      assignmentId: 'a<1>',
      packId: 'p1',
      packVersion: 2,
      assigneeUserId: 'u1',
      dueAt: new Date('2026-11-20T10:00:00Z'),
      attemptsUsed: 0,
      attemptsAllowed: 2,
      timeZone: 'Europe/Berlin',
    });
    expect(mail.subject).toBe('Training assigned: a<1>');
    expect(mail.text).toContain('Due: 2026-11-20 11:00 (Europe/Berlin)');
    expect(mail.text).toContain('/v1/training-assignments/a%3C1%3E');
    expect(mail.html).toContain('a&lt;1&gt;');
    expect(mail.html).not.toContain('a<1>');
  });
});
