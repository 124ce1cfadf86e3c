import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema, parseConfig } from '../../src/config.js';

/** No Docker engine runs here: the production topology is checked by reading it. */
const compose = parse(fs.readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; ports?: string[] }>;
};

const engineServices = ['api', 'worker', 'migrate'] as const;

describe('docker-compose.yml', () => {
  it('has PostgreSQL, a Temporal server on it, the Temporal UI, a mail catcher, S3 storage and the engine behind a proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'mailpit', 'migrate', 'postgres', 'proxy', 's3', 's3-bucket', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker'],
    );
    expect(compose.services.mailpit?.image).toMatch(/^axllent\/mailpit/);
    expect(compose.services.mailpit?.ports).toEqual(expect.arrayContaining(['1025:1025', '8025:8025']));
    expect(compose.services.postgres?.image).toMatch(/^postgres:15/);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(compose.services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(compose.services['temporal-ui']?.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(compose.services.proxy?.ports).toContain('3000:3000');
    for (const name of engineServices) expect(compose.services[name]?.build).toBe('.');
    expect(compose.services.api?.command?.join(' ')).toContain('src/server.ts');
    expect(compose.services.worker?.command?.join(' ')).toContain('src/worker.ts');
  });

  it('gives the engine only variables the config module knows, and they parse', () => {
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of engineServices) {
      const environment = compose.services[name]?.environment ?? {};
      for (const key of Object.keys(environment)) expect(known, `${name}: ${key}`).toContain(key);
      const config = parseConfig(environment);
      expect(config.databaseUrl).toMatch(/@postgres:5432\//);
      expect(config.temporal.address).toBe('temporal:7233');
      expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
    }
    expect(parseConfig(compose.services.api?.environment ?? {}).api.host).toBe('0.0.0.0');
  });

  it('runs the engine as a runtime role the init script makes, and migrates as the image superuser', () => {
    const superuser = compose.services.postgres?.environment?.POSTGRES_USER;
    const initScript = fs.readFileSync(new URL('../../deploy/postgres-init.sql', import.meta.url), 'utf8');
    for (const name of engineServices) {
      const config = parseConfig(compose.services[name]?.environment ?? {});
      const runtime = new URL(config.databaseUrl!);
      expect(runtime.username).toBe('recordkeeper_app');
      expect(initScript).toContain(`CREATE ROLE recordkeeper_app LOGIN PASSWORD '${runtime.password}' IN ROLE recordkeeper_runtime;`);
      expect(new URL(config.migrationDatabaseUrl!).username).toBe(superuser);
      expect(new URL(config.migrationDatabaseUrl!).pathname).toBe(runtime.pathname);
    }
    // The init script runs before the first migration, which grants to the group role.
    expect(initScript).toContain('CREATE ROLE recordkeeper_runtime NOLOGIN;');
  });

  it('the Dockerfile starts the same entry points compose names', () => {
    const dockerfile = fs.readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/FROM node:20/);
    expect(dockerfile).toContain('src/server.ts');
    expect(fs.existsSync(new URL('../../src/worker.ts', import.meta.url))).toBe(true);
  });
});
