/**
 * Failure types thrown as ApplicationFailure across workflows, activities and the API. The API maps
 * each to one HTTP status in src/api/problem.ts.
 */
export const FailureType = {
  InvalidInput: 'InvalidInput',
  NotFound: 'NotFound',
  ConversationDisposed: 'ConversationDisposed',
  NoActiveCall: 'NoActiveCall',
  UnknownTag: 'UnknownTag',
  Conflict: 'Conflict',
  /** mailparser refused the message (too many parts, an oversized header): the same bytes always will. */
  UnparsableEmail: 'UnparsableEmail',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failures that a retry cannot fix; activities list them as non-retryable. */
export const NON_RETRYABLE_FAILURES: readonly FailureType[] = [
  FailureType.InvalidInput,
  FailureType.NotFound,
  FailureType.ConversationDisposed,
  FailureType.NoActiveCall,
  FailureType.UnknownTag,
  FailureType.Conflict,
  FailureType.UnparsableEmail,
];
