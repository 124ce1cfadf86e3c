import { describe, expect, it } from 'vitest';
import { bearerCredentials } from '../../src/api/middleware/auth/bearer.js';
import { openApiPath } from '../../src/api/middleware/auth/route-key.js';
import { decodeCursor, encodeCursor, pageOf } from '../../src/api/pagination.js';
import { ProblemError } from '../../src/api/problem.js';
import { generateApiToken, hashApiToken, looksLikeApiToken } from '../../src/identity/api-token-secret.js';
import { z } from 'zod';

describe('bearer credentials', () => {
  it('reads a Bearer token, whatever the scheme’s case', () => {
    expect(bearerCredentials('Bearer rk_abc')).toEqual({ kind: 'bearer', token: 'rk_abc' });
    expect(bearerCredentials('bearer eyJ.eyJ.sig')).toEqual({ kind: 'bearer', token: 'eyJ.eyJ.sig' });
  });

  it('tells a missing header from a malformed one', () => {
    expect(bearerCredentials(undefined)).toEqual({ kind: 'none' });
    expect(bearerCredentials('  ')).toEqual({ kind: 'none' });
    for (const header of ['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer two tokens', 'Bearer ' + 'a'.repeat(5000), "Bearer ' OR 1=1 --"]) {
      expect(bearerCredentials(header), header).toEqual({ kind: 'malformed' });
    }
  });
});

describe('route keys', () => {
  it('writes Hono paths as OpenAPI does', () => {
    expect(openApiPath('/v1/users/:userId/tokens/:tokenId')).toBe('/v1/users/{userId}/tokens/{tokenId}');
    expect(openApiPath('/v1/items/:id{[0-9]+}')).toBe('/v1/items/{id}');
    expect(openApiPath('/health/live')).toBe('/health/live');
  });
});

describe('API tokens', () => {
  it('are rk_ and 43 base64url characters, unique, with a short display prefix, stored as SHA-256 hex', () => {
    const first = generateApiToken();
    const second = generateApiToken();
    expect(first.token).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect(first.token).not.toBe(second.token);
    expect(looksLikeApiToken(first.token)).toBe(true);
    expect(first.token.startsWith(first.prefix)).toBe(true);
    expect(first.prefix.length).toBeLessThan(12);
    expect(first.hash).toBe(hashApiToken(first.token));
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('keyset cursors', () => {
  const position = z.object({ at: z.string(), id: z.string() });

  it('round-trip a position', () => {
    const cursor = encodeCursor({ at: '2026-11-20T10:00:00.000Z', id: 'b' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, position)).toEqual({ at: '2026-11-20T10:00:00.000Z', id: 'b' });
  });

  it('refuse a cursor that is not ours with a 422 naming the cursor', () => {
    for (const forged of ['not-base64-json', encodeCursor({ at: 1 }), Buffer.from('[1,2]').toString('base64url')]) {
      try {
        decodeCursor(forged, position);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ProblemError);
        expect((error as ProblemError).status).toBe(422);
      }
    }
  });

  it('serve limit rows and point after the last one only when more exist', () => {
    expect(pageOf([1, 2, 3], 2, (n) => ({ n }))).toEqual({ items: [1, 2], nextCursor: encodeCursor({ n: 2 }) });
    expect(pageOf([1, 2], 2, (n) => ({ n }))).toEqual({ items: [1, 2], nextCursor: null });
  });
});
