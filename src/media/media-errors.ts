/** A digest that is not 64 lowercase hex characters: refused before it can become a path. */
export class InvalidDigestError extends Error {
  constructor(readonly digest: string) {
    super(`not a SHA-256 digest: ${JSON.stringify(digest.slice(0, 80))}`);
    this.name = 'InvalidDigestError';
  }
}

export class MediaNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`media ${sha256} is not in the store`);
    this.name = 'MediaNotFoundError';
  }
}

/**
 * The stored bytes no longer hash to the name they were stored under: the file was altered or damaged
 * after it was written. Never served; the caller audits the failed access.
 */
export class MediaIntegrityError extends Error {
  constructor(
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`media integrity check failed: stored file ${expectedSha256} now hashes to ${actualSha256}`);
    this.name = 'MediaIntegrityError';
  }
}

/** The store's Object Lock (a retention date or a legal hold) refused to destroy the content; try again after it ends. */
export class MediaLockedError extends Error {
  constructor(
    readonly sha256: string,
    reason: string,
  ) {
    super(`media ${sha256} is locked in the store and was not removed: ${reason}`);
    this.name = 'MediaLockedError';
  }
}
