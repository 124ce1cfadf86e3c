import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { answerProblems, questionnaireDefinitionSchema, scoringTiersSchema, type Answers, type QuestionnaireDefinition } from '../../../src/domain/questionnaire.js';
import { scoreReview } from '../../../src/domain/review-score.js';
import { fc } from '../support.js';

/**
 * Generated questionnaire versions and answers: critical questions fail as declared and put the review in
 * the lowest tier, a review with only N/A answers has no score, scaling a section's weights changes nothing,
 * and tiers that cover 0 to 100 place every score in exactly one of them.
 * (test/domain/review-score.test.ts checks the score's range and determinism on its own generators.)
 */
type Question = QuestionnaireDefinition['sections'][number]['questions'][number];
type QuestionInput = z.input<typeof questionnaireDefinitionSchema>['sections'][number]['questions'][number];
const SCORED_TYPES = ['yes-no', 'yes-partial-no', 'scale-1-5', 'scale-0-5', 'single-choice', 'numeric-range'] as const;

const sectionWeights = (count: number) =>
  fc.array(fc.integer({ min: 0, max: 100 }), { minLength: count - 1, maxLength: count - 1 }).map((cuts) => {
    const bounds = [0, ...cuts.sort((a, b) => a - b), 100];
    return bounds.slice(1).map((bound, index) => bound - bounds[index]!);
  });

const questionInput = (id: string): fc.Arbitrary<QuestionInput> =>
  fc
    .record({
      type: fc.constantFrom(...SCORED_TYPES, 'free-text' as const),
      weight: fc.integer({ min: 0, max: 10 }),
      allowNa: fc.boolean(),
      critical: fc.constantFrom(null, null, null, 'fail-section' as const, 'fail-all' as const),
      scores: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 2, maxLength: 4 }),
      min: fc.integer({ min: -100, max: 100 }),
      span: fc.integer({ min: 1, max: 100 }),
    })
    .map(({ type, weight, allowNa, critical, scores, min, span }) => ({
      id,
      text: `Question ${id}?`,
      type,
      weight,
      allowNa,
      critical: type === 'free-text' ? null : critical,
      ...(type === 'single-choice' ? { options: scores.map((score, index) => ({ id: `o${index}`, label: `Option ${index}`, score })) } : {}),
      ...(type === 'numeric-range' ? { range: { min, max: min + span } } : {}),
    }));

const definition: fc.Arbitrary<QuestionnaireDefinition> = fc.integer({ min: 1, max: 3 }).chain((count) =>
  fc
    .record({
      scoring: fc.constantFrom('percentage' as const, 'points' as const),
      naMethod: fc.constantFrom('skip' as const, 'section-actual-average' as const, 'section-possible-average' as const, 'questionnaire-actual-average' as const),
      sections: sectionWeights(count).chain((weights) =>
        fc.tuple(
          ...weights.map((weight, s) =>
            fc
              .integer({ min: 1, max: 4 })
              .chain((size) => fc.tuple(...Array.from({ length: size }, (_, q) => questionInput(`q${s}_${q}`))))
              .map((questions) => ({ id: `s${s}`, title: `Section ${s}`, weight, questions })),
          ),
        ),
      ),
    })
    .map((input) => questionnaireDefinitionSchema.parse(input)),
);

function valueFor(question: Question): fc.Arbitrary<string | number> {
  switch (question.type) {
    case 'yes-no':
      return fc.constantFrom('yes', 'no');
    case 'yes-partial-no':
      return fc.constantFrom('yes', 'partial', 'no');
    case 'scale-1-5':
      return fc.integer({ min: 1, max: 5 });
    case 'scale-0-5':
      return fc.integer({ min: 0, max: 5 });
    case 'single-choice':
      return fc.constantFrom(...(question.options ?? []).map((option) => option.id));
    case 'numeric-range':
      return fc.integer({ min: question.range!.min, max: question.range!.max });
    default:
      return fc.string({ maxLength: 10 });
  }
}

const questionsOf = (version: QuestionnaireDefinition) => version.sections.flatMap((section) => section.questions);

const review = definition.chain((version) =>
  fc
    .tuple(...questionsOf(version).map((question) => fc.oneof(fc.constant(undefined), valueFor(question).map((value) => ({ value })), ...(question.allowNa ? [fc.constant({ na: true })] : []))))
    .map((given) => {
      const answers: Answers = {};
      given.forEach((answer, index) => {
        if (answer) answers[questionsOf(version)[index]!.id] = answer;
      });
      return { version, answers };
    }),
);

const TIERS = scoringTiersSchema.parse([
  { name: 'meets', from: 60, to: 90 },
  { name: 'below', from: 0, to: 60, needsTraining: true },
  { name: 'exceeds', from: 90, to: 100 },
]);

/** Whether an answer earns nothing: the fraction a critical question fails on. */
function earnsNothing(question: Question, value: unknown): boolean {
  switch (question.type) {
    case 'yes-no':
    case 'yes-partial-no':
      return value === 'no';
    case 'scale-1-5':
      return value === 1;
    case 'scale-0-5':
      return value === 0;
    case 'single-choice': {
      const scores = (question.options ?? []).map((option) => option.score);
      const highest = Math.max(0, ...scores);
      return highest === 0 || question.options?.find((option) => option.id === value)?.score === 0;
    }
    case 'numeric-range':
      return value === question.range!.min;
    default:
      return false;
  }
}

describe('scoring generated reviews', () => {
  it('fails a review exactly when a critical question earns nothing, and puts it in the lowest tier', () => {
    fc.assert(
      fc.property(review, ({ version, answers }) => {
        expect(answerProblems(version, answers, { complete: false })).toEqual([]);
        const score = scoreReview(version, TIERS, answers);
        const failing = version.sections.flatMap((section) =>
          section.questions.filter((question) => question.critical && answers[question.id]?.na !== true && answers[question.id] && earnsNothing(question, answers[question.id]!.value)).map((question) => ({ question, section })),
        );
        expect(score.failed).toBe(failing.length > 0);
        expect(score.criticalFailures.map((failure) => failure.questionId).sort()).toEqual(failing.map(({ question }) => question.id).sort());
        if (score.failed) expect(score.tier?.name).toBe('below');
        if (failing.some(({ question }) => question.critical === 'fail-all')) expect(score).toMatchObject({ percent: 0, points: { earned: 0 } });
        for (const { section, question } of failing) {
          if (question.critical === 'fail-section') expect(score.sections.find((scored) => scored.id === section.id)).toMatchObject({ percent: 0, failed: true });
        }
      }),
    );
  });

  it('has no score when every answer is N/A, whatever the N/A method', () => {
    fc.assert(
      fc.property(definition, (version) => {
        const answers: Answers = Object.fromEntries(questionsOf(version).map((question) => [question.id, { na: true }]));
        const score = scoreReview(version, TIERS, answers);
        expect(score).toMatchObject({ percent: null, failed: false, unscoredReason: 'all-not-applicable', tier: null });
      }),
    );
  });

  it('gives the same percent when every question weight is scaled by the same factor', () => {
    fc.assert(
      fc.property(review, fc.integer({ min: 2, max: 7 }), ({ version, answers }, factor) => {
        const scaled = questionnaireDefinitionSchema.parse({
          ...version,
          sections: version.sections.map((section) => ({ ...section, questions: section.questions.map((question) => ({ ...question, weight: question.weight * factor })) })),
        });
        const original = scoreReview(version, TIERS, answers);
        const rescored = scoreReview(scaled, TIERS, answers);
        if (original.percent === null) expect(rescored.percent).toBeNull();
        // Both are rounded to 2 decimals, so they may differ by a rounding step.
        else expect(Math.abs(rescored.percent! - original.percent)).toBeLessThanOrEqual(0.01 + 1e-9);
        expect(rescored.failed).toBe(original.failed);
      }),
    );
  });

  it('places every unfailed score in exactly one tier of a set covering 0 to 100', () => {
    fc.assert(
      fc.property(review, ({ version, answers }) => {
        const score = scoreReview(version, TIERS, answers);
        if (score.percent === null || score.failed) return;
        const containing = TIERS.filter((tier) => score.percent! >= tier.from && (score.percent! < tier.to || (tier.to === 100 && score.percent === 100)));
        expect(containing.map((tier) => tier.name)).toEqual([score.tier?.name]);
      }),
    );
  });
});
