/** Why an identity change could not be made; the API maps each code to one status. */
export type IdentityErrorCode = 'username-taken' | 'user-not-found' | 'token-not-found' | 'last-admin';

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
  ) {
    super(message);
  }
}
