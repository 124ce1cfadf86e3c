import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

const provider = { OIDC_ISSUER: 'https://idp.example.test', OIDC_AUDIENCE: 'recordkeeper-api', OIDC_JWKS_URL: 'https://idp.example.test/certs' };

describe('console configuration', () => {
  it('ends sessions after 30 idle minutes or 12 hours by default, with non-Secure cookies for plain http', () => {
    expect(parseConfig({}).console).toMatchObject({ sessionIdleMs: 30 * 60_000, sessionMaxMs: 12 * 3_600_000, secureCookies: false });
    expect(parseConfig({ CONSOLE_SESSION_IDLE_MINUTES: '5', CONSOLE_SESSION_MAX_HOURS: '2', CONSOLE_SECURE_COOKIES: 'true' }).console).toMatchObject({
      sessionIdleMs: 5 * 60_000,
      sessionMaxMs: 2 * 3_600_000,
      secureCookies: true,
    });
  });

  it('offers sign-in with the identity provider only with its client id and both endpoints', () => {
    expect(parseConfig(provider).oidc?.consoleClient).toBeUndefined();
    const client = { OIDC_CLIENT_ID: 'console', OIDC_AUTHORIZATION_URL: 'https://idp.example.test/auth', OIDC_TOKEN_URL: 'https://idp.example.test/token' };
    expect(parseConfig({ ...provider, ...client }).oidc?.consoleClient).toEqual({ clientId: 'console', clientSecret: undefined, authorizationUrl: client.OIDC_AUTHORIZATION_URL, tokenUrl: client.OIDC_TOKEN_URL });
    expect(() => parseConfig({ ...provider, OIDC_CLIENT_ID: 'console' })).toThrow(ConfigError);
  });

  it('links the Temporal UI of the embedded dev server unless told otherwise', () => {
    expect(parseConfig({}).console.temporalUiUrl).toBe('http://127.0.0.1:8233');
    expect(parseConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).console.temporalUiUrl).toBeUndefined();
    expect(parseConfig({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_UI_URL: 'https://temporal.example.test' }).console.temporalUiUrl).toBe('https://temporal.example.test');
  });
});
