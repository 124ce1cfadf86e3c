/**
 * The input of a follow-up workflow (src/workflows/follow-up-loop.ts): the record's id under its own key
 * (`reviewId`, `assignmentId`) and the last outbox id told to the conversation's lifecycle, carried
 * through continue-as-new.
 */
export type FollowUpInput<Key extends string> = { [K in Key]: string } & { forwardedEventId?: number };

/** How a follow-up ended: the record reached a state in which nothing more is due. */
export type FollowUpResult<Key extends string, Ended extends string> = { [K in Key]: string } & { forwardedEventId: number; ended: Ended };
