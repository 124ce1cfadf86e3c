import { answerProblems, answerTo, type Answer, type Answers, type Question, type QuestionnaireDefinition, type ScoringTier } from '../../../domain/questionnaire.js';
import { scoreReview, type ReviewScore } from '../../../domain/review-score.js';
import { Csrf } from '../../layout.js';

/**
 * The questionnaire as an HTML form, the answers read back from it, and the live score. The score shown
 * while answering comes from the same `scoreReview` the API completes a review with, computed on the
 * server for each change (htmx posts the form); the browser never scores anything itself.
 */

type FormFields = Record<string, string | string[]>;

const YES_PARTIAL_NO = [
  { value: 'yes', label: 'Yes' },
  { value: 'partial', label: 'Partially' },
  { value: 'no', label: 'No' },
] as const;

/** The answer options of a question that is answered by picking one of them. */
function choicesOf(question: Question): { value: string; label: string }[] | undefined {
  switch (question.type) {
    case 'yes-no':
      return [YES_PARTIAL_NO[0], YES_PARTIAL_NO[2]];
    case 'yes-partial-no':
      return [...YES_PARTIAL_NO];
    case 'scale-1-5':
      return [1, 2, 3, 4, 5].map((value) => ({ value: String(value), label: String(value) }));
    case 'scale-0-5':
      return [0, 1, 2, 3, 4, 5].map((value) => ({ value: String(value), label: String(value) }));
    case 'single-choice':
      return (question.options ?? []).map((option) => ({ value: option.id, label: option.label }));
    default:
      return undefined;
  }
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);
const all = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** A number typed or picked in the form; text that is no number stays text, so the API names the field. */
function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  const number = Number(trimmed);
  return trimmed !== '' && Number.isFinite(number) ? number : trimmed;
}

/** The answers a posted questionnaire form holds: `answer.<id>`, `na.<id>` and `comment.<id>` per question. */
export function answersFromForm(definition: QuestionnaireDefinition, fields: FormFields): Answers {
  const answers: Answers = {};
  for (const question of definition.sections.flatMap((section) => section.questions)) {
    const answer: Answer = {};
    const raw = fields[`answer.${question.id}`];
    if (first(fields[`na.${question.id}`]) === 'on') {
      answer.na = true;
    } else if (question.type === 'multiple-choice') {
      const chosen = all(raw);
      if (chosen.length > 0) answer.value = chosen;
    } else {
      const text = first(raw)?.trim() ?? '';
      if (text !== '') {
        const numeric = question.type === 'scale-1-5' || question.type === 'scale-0-5' || question.type === 'numeric-range';
        answer.value = numeric ? numberOrText(text) : question.type === 'free-text' ? (first(raw) ?? '') : text;
      }
    }
    const comment = first(fields[`comment.${question.id}`])?.trim();
    if (comment) answer.comment = comment;
    if (Object.keys(answer).length > 0) answers[question.id] = answer;
  }
  return answers;
}

function describe(question: Question): string {
  // Free text is never scored, so its weight means nothing to the evaluator.
  const notes = question.type === 'free-text' ? ['not scored'] : [`weight ${question.weight}`];
  if (question.critical === 'fail-all') notes.push('critical: a “no” fails the whole review');
  if (question.critical === 'fail-section') notes.push('critical: a “no” fails its section');
  if (!question.required) notes.push('optional');
  if (question.commentRequired) notes.push('a comment is required');
  return notes.join(' · ');
}

function QuestionFields(props: { question: Question; answer: Answer | undefined }) {
  const { question, answer } = props;
  const id = question.id;
  const helpId = `help-${id}`;
  const na = answer?.na === true;
  const value = answer?.value;
  const choices = choicesOf(question);
  return (
    <fieldset class="question" aria-describedby={helpId}>
      <legend>{question.text}</legend>
      <p class="help" id={helpId}>
        {describe(question)}
      </p>
      {choices ? (
        <div class="choices">
          {choices.map((choice) => (
            <label>
              <input type="radio" name={`answer.${id}`} value={choice.value} checked={!na && value !== undefined && String(value) === choice.value} /> {choice.label}
            </label>
          ))}
        </div>
      ) : question.type === 'multiple-choice' ? (
        <div class="choices">
          {(question.options ?? []).map((option) => (
            <label>
              <input type="checkbox" name={`answer.${id}`} value={option.id} checked={!na && Array.isArray(value) && value.includes(option.id)} /> {option.label}
            </label>
          ))}
        </div>
      ) : question.type === 'numeric-range' ? (
        <div class="field">
          <label for={`answer-${id}`}>{`Value from ${question.range?.min ?? ''} to ${question.range?.max ?? ''}`}</label>
          <input id={`answer-${id}`} type="number" step="any" min={question.range?.min} max={question.range?.max} name={`answer.${id}`} value={!na && value !== undefined ? String(value) : ''} />
        </div>
      ) : (
        <div class="field">
          <label for={`answer-${id}`}>Answer</label>
          <textarea id={`answer-${id}`} name={`answer.${id}`} rows={2}>
            {!na && typeof value === 'string' ? value : ''}
          </textarea>
        </div>
      )}
      {question.allowNa ? (
        <label class="na">
          <input type="checkbox" name={`na.${id}`} checked={na} /> Not applicable
        </label>
      ) : null}
      <div class="field">
        <label for={`comment-${id}`}>Comment</label>
        <textarea id={`comment-${id}`} name={`comment.${id}`} rows={1}>
          {answer?.comment ?? ''}
        </textarea>
      </div>
    </fieldset>
  );
}

const percentText = (percent: number | null) => (percent === null ? '—' : `${percent} %`);

/** The score of these answers, with what still stops the review from being completed. */
export function LiveScore(props: { definition: QuestionnaireDefinition; tiers: readonly ScoringTier[]; answers: Answers }) {
  const score = scoreReview(props.definition, props.tiers, props.answers);
  const missing = answerProblems(props.definition, props.answers, { complete: true });
  return (
    <>
      <p class="score-line">
        <strong>{`Score while answering: ${score.percent === null ? 'none yet' : `${score.percent} %`}`}</strong>
        {score.tier ? ` · tier ${score.tier.name}${score.tier.needsTraining ? ' (needs training)' : ''}` : ''}
        {score.failed ? ' · failed by a critical question' : ''}
      </p>
      <SectionScores questions={questionTextsOf(props.definition)} score={score} />
      {missing.length > 0 ? (
        <>
          <p class="help">Before it can be completed:</p>
          <ul class="help">
            {missing.map((problem) => (
              <li>{problem.message}</li>
            ))}
          </ul>
        </>
      ) : (
        <p class="help">Every required question is answered: the review can be completed. The server scores it again on completion.</p>
      )}
    </>
  );
}

/** The questions of a version as the read-only views list them. */
export interface QuestionText {
  id: string;
  sectionId: string;
  section: string;
  text: string;
}

export function questionTextsOf(definition: QuestionnaireDefinition): QuestionText[] {
  return definition.sections.flatMap((section) => section.questions.map((question) => ({ id: question.id, sectionId: section.id, section: section.title, text: question.text })));
}

export function SectionScores(props: { questions: readonly QuestionText[]; score: ReviewScore }) {
  const titles = new Map(props.questions.map((question) => [question.sectionId, question.section]));
  return (
    <table>
      <caption class="muted">Per section</caption>
      <thead>
        <tr>
          <th scope="col">Section</th>
          <th scope="col" class="num">
            Weight
          </th>
          <th scope="col" class="num">
            Score
          </th>
        </tr>
      </thead>
      <tbody>
        {props.score.sections.map((section) => (
          <tr>
            <td>{titles.get(section.id) ?? section.id}</td>
            <td class="num">{section.weight}</td>
            <td class="num">{`${percentText(section.percent)}${section.failed ? ' (failed)' : ''}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The evaluator's form: every question with its options, N/A where allowed, comments; the score follows each change. */
export function QuestionnaireForm(props: {
  reviewId: string;
  questionnaire: { id: string; version: number };
  definition: QuestionnaireDefinition;
  tiers: readonly ScoringTier[];
  answers: Answers;
  csrfToken: string;
}) {
  const { definition, answers } = props;
  return (
    <form
      class="questionnaire"
      method="post"
      action={`/console/reviews/${props.reviewId}/answers`}
      hx-post={`/console/reviews/${props.reviewId}/score`}
      hx-trigger="change"
      hx-target="#live-score"
      hx-swap="innerHTML"
      aria-label="Questionnaire"
    >
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="questionnaireId" value={props.questionnaire.id} />
      <input type="hidden" name="questionnaireVersion" value={String(props.questionnaire.version)} />
      {definition.sections.map((section) => (
        <section aria-labelledby={`section-${section.id}`}>
          <h3 id={`section-${section.id}`}>{`${section.title} (weight ${section.weight}${definition.scoring === 'points' ? ' points' : ' %'})`}</h3>
          {section.questions.map((question) => (
            <QuestionFields question={question} answer={answerTo(answers, question.id)} />
          ))}
        </section>
      ))}
      <div id="live-score" class="live-score" aria-live="polite">
        <LiveScore definition={definition} tiers={props.tiers} answers={answers} />
      </div>
      <div class="actions">
        <button type="submit" name="intent" value="save" class="secondary">
          Save draft
        </button>{' '}
        <button type="submit" name="intent" value="complete" data-confirm="Complete this review? The server scores it and the score becomes its result.">
          Complete review
        </button>
      </div>
    </form>
  );
}

/** A finished review's answers, read-only, with the texts of the questions asked. */
export function AnswerList(props: { questions: readonly QuestionText[]; answers: Answers; score: ReviewScore | null }) {
  const byId = new Map((props.score?.questions ?? []).map((question) => [question.id, question]));
  const known = new Set(props.questions.map((question) => question.id));
  // An answer to a question the list does not name is still shown, under its id.
  const questions = [...props.questions, ...Object.keys(props.answers).filter((id) => !known.has(id)).map((id) => ({ id, text: id, section: byId.get(id)?.sectionId ?? '' }))];
  return (
    <table>
      <caption class="muted">Answers</caption>
      <thead>
        <tr>
          <th scope="col">Section</th>
          <th scope="col">Question</th>
          <th scope="col">Answer</th>
          <th scope="col">Comment</th>
          <th scope="col" class="num">
            Earned
          </th>
        </tr>
      </thead>
      <tbody>
        {questions.map((question) => {
          const answer = answerTo(props.answers, question.id);
          const scored = byId.get(question.id);
          const shown = answer?.na ? 'N/A' : answer?.value === undefined ? '—' : Array.isArray(answer.value) ? answer.value.join(', ') : String(answer.value);
          return (
            <tr>
              <td>{question.section}</td>
              <td>{question.text}</td>
              <td>{shown}</td>
              <td>{answer?.comment ?? ''}</td>
              <td class="num">{scored && scored.possible > 0 ? `${Math.round(scored.earned * 100) / 100} / ${scored.possible}` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
