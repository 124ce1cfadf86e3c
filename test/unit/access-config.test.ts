import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('access configuration', () => {
  it('keeps CORS closed, a 30 s timeout and OIDC off by default', () => {
    const config = parseConfig({});
    expect(config.http).toEqual({
      corsOrigins: [],
      requestTimeoutMs: 30_000,
      refusalLimit: { auditedPerWindow: 20, windowMs: 60_000 },
      // Capture answers 503 well before the 504 of the request timeout.
      captureAdmission: { maxInFlight: 64, deadlineMs: 15_000 },
    });
    expect(config.oidc).toBeUndefined();
  });

  it('reads a comma-separated origin list', () => {
    expect(parseConfig({ CORS_ORIGINS: 'https://a.example, https://b.example,' }).http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('turns OIDC on only with issuer, audience and key set together', () => {
    const oidc = { OIDC_ISSUER: 'https://idp.example/realms/rk', OIDC_AUDIENCE: 'recordkeeper', OIDC_JWKS_URL: 'https://idp.example/certs' };
    expect(parseConfig(oidc).oidc).toEqual({
      issuer: 'https://idp.example/realms/rk',
      audience: 'recordkeeper',
      jwksUrl: 'https://idp.example/certs',
      rolesClaim: 'roles',
      usernameClaim: 'preferred_username',
    });
    expect(() => parseConfig({ ...oidc, OIDC_AUDIENCE: '' })).toThrow(ConfigError);
    expect(() => parseConfig({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(/must be set together/);
  });
});
