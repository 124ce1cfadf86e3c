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
  | 'changed-concurrently';

export class QuestionnaireError extends Error {
  constructor(
    readonly code: QuestionnaireErrorCode,
    message: string,
  ) {
    super(message);
  }
}
