import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { configSchema, parseConfig } from '../../src/config.js';
import { liveRoute, readyRoute } from '../../src/api/health/routes.js';
import { builtHelm } from '../../scripts/helm.js';

/**
 * deploy/helm/recordkeeper, checked offline. Always: its values name exactly the variables the config module
 * reads for a deployed engine, and each template, with its `{{ }}` actions blanked out, is a manifest with the
 * fields Kubernetes requires. When helm is built (`npm run helm:build`): `helm lint` and `helm template` too.
 */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const chartDir = path.join(repositoryRoot, 'deploy/helm/recordkeeper');

/** Read by the config module only on a developer's machine: the embedded dev server, built tools, the test and fault suites. */
const MACHINE_LOCAL_VARIABLES = [
  'TEMPORAL_DEV_PORT',
  'TEMPORAL_DEV_UI_PORT',
  'TEMPORAL_CLI',
  'RECORDKEEPER_CACHE_DIR',
  'XDG_CACHE_HOME',
  'HOME',
  'TEST_POSTGRES_URL',
  'RECORDKEEPER_FAULT_KILL_AFTER_COMMIT',
];

interface ChartValues {
  config: Record<string, string>;
  secrets: { existingSecret: string; values: Record<string, string> };
}
const values = parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as ChartValues;

interface Container {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: unknown }[];
  env?: { name: string }[];
  envFrom?: unknown[];
  livenessProbe?: { httpGet?: { path: string; port: string } };
  readinessProbe?: { httpGet?: { path: string; port: string } };
  startupProbe?: { httpGet?: { path: string; port: string } };
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    selector?: { matchLabels?: unknown } | Record<string, unknown>;
    template?: { metadata?: { labels?: unknown }; spec: { containers: Container[]; restartPolicy?: string; volumes?: unknown[] } };
    ports?: { targetPort: string }[];
    minAvailable?: unknown;
    accessModes?: string[];
  };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

function parseManifests(text: string, source: string): Manifest[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${source}: ${document.errors.map((error) => error.message).join('; ')}`);
      return document.toJS() as Manifest | null;
    })
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/**
 * A template's shape without Helm: lines that are only actions (`{{- if }}`, `{{- range }}`, `{{- include ... | nindent }}`)
 * go, other actions become a placeholder; a range body then stands for one of its items.
 */
function templateSkeletons(): { file: string; manifests: Manifest[] }[] {
  const folder = path.join(chartDir, 'templates');
  return fs
    .readdirSync(folder)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => {
      const skeleton = fs
        .readFileSync(path.join(folder, file), 'utf8')
        .split('\n')
        .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
        .map((line) => line.replace(/\{\{-?[^}]*?-?\}\}/g, 'TEMPLATED'))
        .join('\n');
      return { file, manifests: parseManifests(skeleton, file) };
    });
}

function checkWorkload(manifest: Manifest, source: string): Container[] {
  const template = manifest.spec?.template;
  expect(template?.spec.containers.length, `${source}: containers`).toBeGreaterThan(0);
  for (const container of template!.spec.containers) {
    expect(container.name, source).toBeTruthy();
    expect(container.image, source).toBeTruthy();
    expect(container.command?.slice(0, 3), source).toEqual(['node', '--import', 'tsx']);
    expect(fs.existsSync(path.join(repositoryRoot, container.command![3]!)), `${source}: ${container.command![3]} exists`).toBe(true);
  }
  return template!.spec.containers;
}

describe('the Helm chart deploy/helm/recordkeeper', () => {
  it('names in its values exactly the variables the config module reads for a deployed engine, and they parse', () => {
    const inChart = [...Object.keys(values.config), ...Object.keys(values.secrets.values)];
    expect(new Set(inChart).size, 'a variable is in both config and secrets').toBe(inChart.length);
    const expected = Object.keys(configSchema.shape).filter((name) => !MACHINE_LOCAL_VARIABLES.includes(name));
    expect([...inChart].sort()).toEqual([...expected].sort());

    const config = parseConfig({ ...values.config, ...values.secrets.values });
    expect(config.databaseUrl).toMatch(/^postgres:\/\/recordkeeper_app:/);
    expect(new URL(config.migrationDatabaseUrl!).username).toBe('recordkeeper');
    expect(config.migrateOnStart).toBe(false);
    expect(config.api).toEqual({ host: '0.0.0.0', port: 3000 });
    expect(config.temporal.address).toBeTruthy();
    // Everything the engine writes lives on the one shared volume.
    for (const folder of [config.mediaRoot, config.archiveRoot, config.exports.root, config.auditAnchors.dir, config.auditAnchors.signingKeyFile]) {
      expect(folder.startsWith(`${config.dataDir}/`), folder).toBe(true);
    }
  });

  it('has templates that are manifests with the fields Kubernetes requires: Deployments, Service, migration Job, ConfigMap, Secret, volume, PodDisruptionBudgets', () => {
    const skeletons = templateSkeletons();
    const all = skeletons.flatMap(({ file, manifests }) => manifests.map((manifest) => ({ file, manifest })));
    for (const { file, manifest } of all) {
      expect(manifest.apiVersion, file).toMatch(/^(v1|apps\/v1|batch\/v1|policy\/v1)$/);
      expect(manifest.kind, file).toBeTruthy();
      expect(manifest.metadata?.name, file).toBeTruthy();
    }
    const kinds = all.map(({ manifest }) => manifest.kind).sort();
    expect(kinds).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'Job', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Secret', 'Service']);

    const byFile = (file: string) => skeletons.find((skeleton) => skeleton.file === file)!.manifests[0]!;
    const [api] = checkWorkload(byFile('api-deployment.yaml'), 'api-deployment.yaml');
    expect(api!.ports).toEqual([{ name: 'http', containerPort: 'TEMPLATED' }]);
    expect(api!.livenessProbe?.httpGet).toEqual({ path: liveRoute.path, port: 'http' });
    expect(api!.startupProbe?.httpGet).toEqual({ path: liveRoute.path, port: 'http' });
    expect(api!.readinessProbe?.httpGet).toEqual({ path: readyRoute.path, port: 'http' });
    expect(api!.command).toContain('src/server.ts');
    const [worker] = checkWorkload(byFile('worker-deployment.yaml'), 'worker-deployment.yaml');
    expect(worker!.command).toContain('src/worker.ts');
    const job = byFile('migration-job.yaml');
    const [migrate] = checkWorkload(job, 'migration-job.yaml');
    expect(migrate!.command).toContain('scripts/migrate.ts');
    expect(job.spec?.template?.spec.restartPolicy).toBe('Never');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(migrate!.env?.map((variable) => variable.name)).toEqual(expect.arrayContaining(['MIGRATION_DATABASE_URL', 'DATABASE_URL']));
    expect(byFile('api-service.yaml').spec?.ports?.[0]?.targetPort).toBe('http');
    expect(byFile('pvc.yaml').spec?.accessModes).toEqual(['ReadWriteMany']);
    expect(byFile('pdb.yaml').spec?.minAvailable).toBe('TEMPLATED');
  });

  const helm = builtHelm(parseConfig(process.env).tools.cacheDir);
  it.skipIf(!helm)('passes helm lint --strict, and helm template renders each process with its variables and probes', () => {
    const run = (args: string[]) => {
      const result = spawnSync(helm!, args, { encoding: 'utf8' });
      expect(result.status, `helm ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`).toBe(0);
      return result.stdout;
    };
    run(['lint', '--strict', chartDir]);
    const rendered = parseManifests(run(['template', 'rk', chartDir]), 'helm template');
    const kinds = rendered.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).sort();
    expect(kinds).toEqual([
      'ConfigMap/rk-recordkeeper-config',
      'Deployment/rk-recordkeeper-api',
      'Deployment/rk-recordkeeper-worker',
      'Job/rk-recordkeeper-migrate',
      'PersistentVolumeClaim/rk-recordkeeper-data',
      'PodDisruptionBudget/rk-recordkeeper-api',
      'PodDisruptionBudget/rk-recordkeeper-worker',
      'Secret/rk-recordkeeper-secrets',
      'Service/rk-recordkeeper-api',
    ]);
    const find = (kind: string, name: string) => rendered.find((manifest) => manifest.kind === kind && manifest.metadata.name === name)!;
    expect(Object.keys(find('ConfigMap', 'rk-recordkeeper-config').data ?? {}).sort()).toEqual(Object.keys(values.config).sort());
    expect(Object.keys(find('Secret', 'rk-recordkeeper-secrets').stringData ?? {}).sort()).toEqual(Object.keys(values.secrets.values).sort());
    // The engine runs as the least-privileged role: only the migration Job gets the owner's URL.
    for (const name of ['rk-recordkeeper-api', 'rk-recordkeeper-worker']) {
      const [container] = find('Deployment', name).spec!.template!.spec.containers;
      const names = container!.env!.map((variable) => variable.name);
      expect(names, name).toContain('DATABASE_URL');
      expect(names, name).not.toContain('MIGRATION_DATABASE_URL');
    }
    const [api] = find('Deployment', 'rk-recordkeeper-api').spec!.template!.spec.containers;
    expect(api!.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(api!.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    for (const component of ['api', 'worker']) expect(find('PodDisruptionBudget', `rk-recordkeeper-${component}`).spec?.minAvailable).toBe(1);

    // With a Secret and a volume made outside the chart, it makes neither and uses theirs.
    const external = parseManifests(run(['template', 'rk', chartDir, '--set', 'secrets.existingSecret=vault-synced', '--set', 'persistence.existingClaim=shared-nfs']), 'helm template');
    const externalKinds = external.map((manifest) => manifest.kind);
    expect(externalKinds).not.toContain('Secret');
    expect(externalKinds).not.toContain('PersistentVolumeClaim');
    expect(JSON.stringify(external.find((manifest) => manifest.kind === 'Job'))).toContain('"vault-synced"');
    expect(JSON.stringify(external.find((manifest) => manifest.kind === 'Deployment'))).toContain('"shared-nfs"');
  });
});
