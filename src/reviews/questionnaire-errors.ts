/** Why a questionnaire change was refused; the API maps each code to one status. */
export type QuestionnaireErrorCode =
  | 'questionnaire-not-found'
  | 'version-not-found'
  /** Back to draft after a review used it: its reviews would refer to a questionnaire still being written. */
  | 'used-by-reviews'
  /** Retired after use: kept as it was, never active or revised again. */
  | 'retired'
  /** An enabled review plan still selects conversations for it. */
  | 'used-by-plans'
  /** Another change came in between reading the questionnaire and locking it; the request can be repeated. */
  | 'changed-concurrently'
  /** A tier names a training pack that does not exist or was retired (`field` names the tier's trainingPackId). */
  | 'unknown-training-pack';

export class QuestionnaireError extends Error {
  constructor(
    readonly code: QuestionnaireErrorCode,
    message: string,
    /** The offending field as a dotted path, when one field is at fault. */
    readonly field?: string,
  ) {
    super(message);
  }
}
