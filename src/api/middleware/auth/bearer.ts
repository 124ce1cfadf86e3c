/** RFC 6750 b64token; anything else in a Bearer header is malformed. The bound keeps hashing cheap. */
const BEARER_PATTERN = /^Bearer +([A-Za-z0-9\-._~+/]{1,4096}=*)$/i;

export type Credentials = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

export function bearerCredentials(authorization: string | undefined): Credentials {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'none' };
  const match = BEARER_PATTERN.exec(authorization.trim());
  return match ? { kind: 'bearer', token: match[1]! } : { kind: 'malformed' };
}
