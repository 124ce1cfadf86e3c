import { createHash, randomBytes } from 'node:crypto';

/** `rk_` + 32 random bytes in base64url: recognisable in leaks (secret scanners), unguessable. */
const TOKEN_PATTERN = /^rk_[A-Za-z0-9_-]{43}$/;
/** Enough of the token for an admin to tell tokens apart, far too little to use it. */
const PREFIX_LENGTH = 'rk_'.length + 6;

export interface ApiTokenSecret {
  token: string;
  hash: string;
  prefix: string;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function looksLikeApiToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

export function generateApiToken(): ApiTokenSecret {
  const token = `rk_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, PREFIX_LENGTH) };
}
