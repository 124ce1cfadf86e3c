import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config.js';
import { liveRoute, readyRoute } from '../../src/api/health/routes.js';
import { PINNED_TEMPORAL_SERVER_VERSION, PINNED_TEMPORAL_UI_VERSION } from '../../scripts/temporal-server.js';
import { PINNED_VERSITYGW_VERSION } from '../../scripts/versitygw.js';

/**
 * docker-compose.yml runs the production topology (README "Running in production"); no Docker engine runs
 * here, so it is checked by reading: who starts after whom, how many of each, health checks, and the wiring.
 */
interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}
const read = (file: string) => fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const { services } = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const service = (name: string): Service => {
  expect(services[name], name).toBeDefined();
  return services[name]!;
};

describe('docker-compose.yml: the production topology', () => {
  it('starts the Temporal server on PostgreSQL only after its schema job, and the engine only once its namespace exists', () => {
    const version = PINNED_TEMPORAL_SERVER_VERSION.slice(1);
    expect(service('temporal-schema').image).toBe(`temporalio/admin-tools:${version}`);
    expect(service('temporal-schema').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('temporal-schema').entrypoint?.join(' ')).toContain('/temporal-schema.sh');
    const schemaScript = read('deploy/temporal-schema.sh');
    for (const schema of ['postgresql/v12/temporal', 'postgresql/v12/visibility']) expect(schemaScript).toContain(schema);
    expect(service('temporal').image).toBe(`temporalio/server:${version}`);
    expect(service('temporal').depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', NUM_HISTORY_SHARDS: '512' });
    expect(service('temporal-namespace').depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(service('temporal-ui').image).toBe(`temporalio/ui:${PINNED_TEMPORAL_UI_VERSION.slice(1)}`);
  });

  it('runs two workers and two API replicas behind one proxy, after the migration job, with media in an Object Lock bucket', () => {
    for (const name of ['api', 'worker']) {
      const engine = service(name);
      expect(engine.deploy?.replicas, name).toBe(2);
      expect(engine.ports, `${name} replicas share no host port`).toBeUndefined();
      expect(engine.depends_on, name).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        'temporal-namespace': { condition: 'service_completed_successfully' },
        's3-bucket': { condition: 'service_completed_successfully' },
      });
      const config = parseConfig(engine.environment ?? {});
      expect(config.migrateOnStart, name).toBe(false);
      expect(config.mediaStore, name).toMatchObject({ kind: 's3', bucket: 'recordkeeper-media', lockMode: 'COMPLIANCE', endpoint: { endpoint: 'http://s3:7070', forcePathStyle: true } });
      // The signing key and the anchors are shared: the workers sign, the API verifies.
      expect(engine.volumes, name).toEqual(expect.arrayContaining(['keys:/var/lib/recordkeeper/keys', 'audit-anchors:/var/lib/recordkeeper/audit-anchors']));
    }
    expect(service('migrate').command).toEqual(['node', '--import', 'tsx', 'scripts/migrate.ts']);
    expect(service('proxy').ports).toEqual(['3000:3000']);
    expect(service('proxy').depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect(read('deploy/nginx.conf')).toMatch(/server api:3000\b/);

    expect(service('s3').image).toBe(`versity/versitygw:${PINNED_VERSITYGW_VERSION}`);
    expect(service('s3').command?.join(' ')).toContain('--versioning-dir');
    expect(service('s3-bucket').command?.join(' ')).toContain('create-bucket --bucket recordkeeper-media --object-lock-enabled-for-bucket');
    expect(service('s3').environment).toMatchObject({
      ROOT_ACCESS_KEY: service('api').environment?.OBJECT_STORE_ACCESS_KEY_ID,
      ROOT_SECRET_KEY: service('api').environment?.OBJECT_STORE_SECRET_ACCESS_KEY,
    });
  });

  it('has a health check on every long-running service, the API on its readiness route', () => {
    const oneShot = ['temporal-schema', 'temporal-namespace', 's3-bucket', 'migrate'];
    // The worker serves no HTTP: Docker restarts it when it exits.
    const withoutHealthCheck = ['worker', 'temporal-ui'];
    for (const [name, definition] of Object.entries(services)) {
      if (oneShot.includes(name) || withoutHealthCheck.includes(name)) continue;
      expect(definition.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
    }
    expect(service('api').healthcheck?.test.join(' ')).toContain(readyRoute.path);
    expect(service('proxy').healthcheck?.test.join(' ')).toContain(liveRoute.path);
  });
});
