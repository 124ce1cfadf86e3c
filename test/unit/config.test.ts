import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('configuration', () => {
  it('runs on embedded defaults with no variables at all', () => {
    const config = parseConfig({ HOME: '/home/someone' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.temporal.address).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.mediaRoot).toBe(path.join(path.resolve('./data'), 'media'));
    expect(config.api).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.tools.cacheDir).toBe('/home/someone/.cache/recordkeeper');
  });

  it('treats empty variables as unset, as compose files write them', () => {
    expect(parseConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '' }).databaseUrl).toBeUndefined();
  });

  it('migrates as MIGRATION_DATABASE_URL, defaulting to DATABASE_URL, and refuses it without DATABASE_URL', () => {
    expect(parseConfig({ DATABASE_URL: 'postgres://app@db/rk' }).migrationDatabaseUrl).toBe('postgres://app@db/rk');
    expect(parseConfig({ DATABASE_URL: 'postgres://app@db/rk', MIGRATION_DATABASE_URL: 'postgres://owner@db/rk' }).migrationDatabaseUrl).toBe('postgres://owner@db/rk');
    expect(parseConfig({}).migrationDatabaseUrl).toBeUndefined();
    expect(() => parseConfig({ MIGRATION_DATABASE_URL: 'postgres://owner@db/rk' })).toThrow(/MIGRATION_DATABASE_URL needs DATABASE_URL/);
  });

  it('fails fast naming every bad variable', () => {
    expect(() => parseConfig({ DATABASE_URL: 'mysql://x', API_PORT: 'eighty' })).toThrow(ConfigError);
    try {
      parseConfig({ DATABASE_URL: 'mysql://x', API_PORT: 'eighty' });
    } catch (error) {
      expect((error as Error).message).toMatch(/DATABASE_URL/);
      expect((error as Error).message).toMatch(/API_PORT/);
    }
  });

  it('prefers RECORDKEEPER_CACHE_DIR, then XDG_CACHE_HOME, for the tool cache', () => {
    expect(parseConfig({ XDG_CACHE_HOME: '/xdg' }).tools.cacheDir).toBe('/xdg/recordkeeper');
    expect(parseConfig({ XDG_CACHE_HOME: '/xdg', RECORDKEEPER_CACHE_DIR: '/cache' }).tools.cacheDir).toBe('/cache');
  });
});
