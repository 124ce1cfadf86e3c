import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { NativeConnection, Worker } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createActivities } from '../../src/activities/index.js';
import { createApp } from '../../src/api/app.js';
import { appendAudit, syncEntry } from '../../src/audit/write/audit-writer.js';
import { writeAuditCheckpoint } from '../../src/audit/write/checkpoint-writer.js';
import { openMigratedDatabase } from '../../src/bootstrap.js';
import { parseConfig } from '../../src/config.js';
import { openPostgres, type DatabaseHandle } from '../../src/db/client.js';
import { queryRows } from '../../src/db/query-rows.js';
import { describeRuntimeRole } from '../../src/db/runtime-role.js';
import type { Logger } from '../../src/lib/logger.js';
import { contactRecord } from '../support/contact-records.js';
import { createHarness, httpCall, type Harness } from '../support/harness.js';
import { createIdentity } from '../support/identities.js';
import { createScratchDatabase } from '../support/scratch-database.js';

/**
 * The engine's runtime role (drizzle/0017_runtime_role.sql): on a scratch database migrated as the test
 * superuser, a login role of this run, IN ROLE recordkeeper_runtime, can do the engine's work and append to
 * the audit tables, but cannot change, empty or unguard them. Roles are cluster-wide: the login role is
 * this run's own and dropped at the end (the group role is the migrations' and stays, as they leave it).
 */
const serverUrl = inject('databaseUrl');
const appendOnly = ['audit_log', 'audit_checkpoints', 'disposal_ledger'] as const;
const roleName = `rk_runtime_test_${process.pid}_${Date.now()}`;

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let runtime: Extract<DatabaseHandle, { kind: 'postgres' }>;

async function asServerSuperuser(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl! });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The database's refusal of a statement run as the runtime role, as `SQLSTATE: message`. */
async function refusal(statement: string): Promise<string> {
  try {
    await runtime.pool.query(statement);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return `${code}: ${message}`;
  }
  return 'no error: the statement succeeded';
}

const chainHead = async () => {
  const [row] = await queryRows<{ chain_seq: string; hash: string }>(runtime.db, sql`select chain_seq::text, hash from audit_chain_head where id = 1`);
  return { chainSeq: Number(row!.chain_seq), hash: row!.hash };
};

describe.skipIf(!serverUrl)('database roles', () => {
  beforeAll(async () => {
    scratch = await createScratchDatabase(serverUrl!, 'roles', 4);
    await asServerSuperuser(`create role ${roleName} login in role recordkeeper_runtime`);
    const url = new URL(scratch.url);
    url.username = roleName;
    url.password = '';
    runtime = openPostgres(url.toString(), 4) as typeof runtime;
  });

  afterAll(async () => {
    await runtime?.close();
    await scratch?.drop();
    // The role holds no privilege and owns nothing of its own (its grants are the group role's): it drops cleanly.
    await asServerSuperuser(`drop role if exists ${roleName}`);
  });

  describe('the runtime database role', () => {
    it('is no superuser, owns nothing, and holds exactly the grants the migration makes', async () => {
      expect(await describeRuntimeRole(runtime.db)).toEqual({ role: roleName, superuser: false, ownsAuditLog: false });
      // The start-up warning's condition holds for the superuser that migrated.
      expect(await describeRuntimeRole(scratch.handle.db)).toMatchObject({ superuser: true, ownsAuditLog: true });
      const owned = await queryRows<{ relname: string }>(
        runtime.db,
        sql`select relname from pg_class where relnamespace = 'public'::regnamespace and pg_has_role(current_user, relowner, 'MEMBER')`,
      );
      expect(owned).toEqual([]);

      const privileges = async (table: string) => {
        const [row] = await queryRows<Record<string, boolean>>(
          scratch.handle.db,
          sql`select ${sql.join(
            ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES'].map(
              (privilege) => sql`has_table_privilege('recordkeeper_runtime', ${`public.${table}`}, ${privilege}) as ${sql.identifier(privilege.toLowerCase())}`,
            ),
            sql`, `,
          )}`,
        );
        return Object.entries(row!).filter(([, held]) => held).map(([privilege]) => privilege);
      };
      for (const table of appendOnly) expect(await privileges(table), table).toEqual(['select', 'insert']);
      expect(await privileges('audit_chain_head')).toEqual(['select']);
      for (const table of ['conversations', 'contact_records', 'users', 'api_tokens', 'tag_definitions']) {
        expect(await privileges(table), table).toEqual(['select', 'insert', 'update', 'delete']);
      }
      // Later migrations' tables and sequences get the DML grants by default.
      const defaults = await queryRows<{ objtype: string; acl: string }>(
        scratch.handle.db,
        sql`select defaclobjtype::text as objtype, defaclacl::text as acl from pg_default_acl where defaclnamespace = 'public'::regnamespace order by 1`,
      );
      expect(defaults).toEqual([
        { objtype: 'S', acl: expect.stringMatching(/recordkeeper_runtime=rU\//) },
        { objtype: 'r', acl: expect.stringMatching(/recordkeeper_runtime=arwd\//) },
      ]);
      const [chain] = await queryRows<{ prosecdef: boolean; proconfig: string[] }>(scratch.handle.db, sql`select prosecdef, proconfig from pg_proc where proname = 'audit_log_chain'`);
      expect(chain).toEqual({ prosecdef: true, proconfig: ['search_path=pg_catalog, public, pg_temp'] });
    });

    it('appends audit entries through the real writer, moving the chain head it may not update, and reads them', async () => {
      const before = await chainHead();
      await appendAudit(runtime.db, [
        syncEntry({
          activity: 'TRAININGS_SEARCH',
          result: 'OK',
          actor: { type: 'system', id: 'roles-test', username: 'roles-test', fullName: 'Database roles test' },
          description: 'Appended as the runtime role',
          correlationId: `roles-${roleName}`,
        }),
      ]);
      const after = await chainHead();
      expect(after.chainSeq).toBe(before.chainSeq + 1);
      const [entry] = await queryRows<{ hash: string; prev_hash: string }>(runtime.db, sql`select hash, prev_hash from audit_log where chain_seq = ${after.chainSeq}`);
      expect(entry).toEqual({ hash: after.hash, prev_hash: before.hash });

      // Checkpoints too, and their guard still refuses one that names no entry.
      const { checkpoint, created } = await writeAuditCheckpoint(runtime.db, {
        actor: { type: 'system', id: 'roles-test', username: 'roles-test', fullName: 'Database roles test' },
        correlationId: `roles-checkpoint-${roleName}`,
        onlyIfMoved: false,
      });
      expect(created).toBe(true);
      expect(checkpoint.chainSeq).toBe(after.chainSeq + 1);
      expect(await refusal(`insert into audit_checkpoints (chain_seq, hash) values (${after.chainSeq}, 'bogus')`)).toMatch(/^23503: audit checkpoint .* names no audit_log entry/);
    });

    it('may not UPDATE, DELETE or TRUNCATE the append-only tables, nor write the chain head', async () => {
      const statements = appendOnly.flatMap((table) => [
        `update ${table} set id = id`,
        `delete from ${table}`,
        `truncate ${table}`,
      ]);
      statements.push('update audit_chain_head set chain_seq = 0', 'delete from audit_chain_head', "insert into audit_chain_head (id, chain_seq, hash) values (2, 0, '')");
      for (const statement of statements) {
        // Refused by the privilege system, before any trigger could be consulted.
        expect(await refusal(statement), statement).toMatch(/^42501: permission denied for table /);
      }
    });

    it('may not ALTER the tables, switch their triggers off, or change the chain function', async () => {
      const ownerOnly = [
        'alter table audit_log disable trigger audit_log_append_only',
        'alter table audit_log disable trigger all',
        'alter table audit_checkpoints disable trigger audit_checkpoints_append_only',
        'alter table disposal_ledger disable trigger disposal_ledger_append_only',
        'alter table audit_log add column note text',
        'drop trigger audit_log_append_only on audit_log',
      ];
      for (const statement of ownerOnly) expect(await refusal(statement), statement).toMatch(/^42501: must be owner of (table|relation) (audit_log|audit_checkpoints|disposal_ledger)$/);
      expect(await refusal('alter function audit_log_chain() security invoker')).toMatch(/^42501: must be owner of function audit_log_chain/);
      expect(await refusal('create or replace function audit_log_refuse_change() returns trigger language plpgsql as $$ begin return new; end $$')).toMatch(
        /^42501: (must be owner of function|permission denied for schema public)/,
      );
      // Replica mode would skip every trigger; only a superuser may set it.
      expect(await refusal('set session_replication_role = replica')).toMatch(/^42501: permission denied to set parameter/);
      expect(await refusal('create table runtime_owned (id int)')).toMatch(/^42501: permission denied for schema public/);
    });
  });

  describe('start-up', () => {
    it('migrates a new database as MIGRATION_DATABASE_URL, runs as DATABASE_URL, and warns when that role could unguard the audit tables', async () => {
      const name = `recordkeeper_roles_start_${process.pid}_${Date.now()}`;
      await asServerSuperuser(`create database ${name}`);
      const warnings: string[] = [];
      const logger: Logger = { log: () => undefined, info: () => undefined, error: () => undefined, warn: (message) => void warnings.push(message) };
      try {
        const ownerUrl = new URL(serverUrl!);
        ownerUrl.pathname = `/${name}`;
        const runtimeUrl = new URL(ownerUrl);
        runtimeUrl.username = roleName;
        runtimeUrl.password = '';
        // The runtime role may not create the migrations' schema: that this succeeds shows the owner migrated.
        const asRuntime = await openMigratedDatabase(parseConfig({ DATABASE_URL: runtimeUrl.toString(), MIGRATION_DATABASE_URL: ownerUrl.toString() }), logger);
        try {
          const owners = await queryRows<{ owner: string }>(asRuntime.db, sql`select distinct pg_get_userbyid(relowner) as owner from pg_class where relnamespace = 'public'::regnamespace`);
          expect(owners).toEqual([{ owner: ownerUrl.username }]);
          expect(await describeRuntimeRole(asRuntime.db)).toMatchObject({ role: roleName, superuser: false, ownsAuditLog: false });
        } finally {
          await asRuntime.close();
        }
        expect(warnings).toEqual([]);

        const asOwner = await openMigratedDatabase(parseConfig({ DATABASE_URL: ownerUrl.toString() }), logger);
        await asOwner.close();
        expect(warnings).toEqual([expect.stringContaining('README section "Security: database roles"')]);
      } finally {
        await asServerSuperuser(`drop database if exists ${name} with (force)`);
      }
    });
  });

  describe('the engine on the runtime role', () => {
    let harness: Harness;
    let server: ServerType;
    let worker: Worker;
    let workerRun: Promise<void>;
    let connection: NativeConnection;
    let baseUrl: string;
    const taskQueue = `roles-${process.pid}-${Date.now()}`;

    beforeAll(async () => {
      harness = await createHarness();
      connection = await NativeConnection.connect({ address: inject('temporalAddress') });
      // The worker's activities run as the runtime role too, so capture writes through its grants.
      worker = await Worker.create({
        connection,
        taskQueue,
        workflowBundle: { code: fs.readFileSync(inject('workflowBundlePath'), 'utf8') },
        activities: createActivities({ db: runtime.db, media: harness.media, archiveRoot: harness.archiveRoot }),
      });
      workerRun = worker.run();
      const app = createApp({ db: runtime.db, temporal: { client: harness.client, taskQueue }, media: harness.media, archiveRoot: harness.archiveRoot });
      server = await new Promise((resolve) => {
        const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
      });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      worker?.shutdown();
      await workerRun;
      await connection?.close();
      await harness?.close();
    });

    it('captures a contact record, defines a tag, checkpoints and verifies the audit chain', async () => {
      const admin = httpCall(baseUrl, (await createIdentity(runtime.db, 'admin')).token);
      const auditor = httpCall(baseUrl, (await createIdentity(runtime.db, 'auditor')).token);

      const record = contactRecord();
      const posted = await admin('POST', '/v1/contact-records', record);
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      expect(posted.body.results).toEqual([expect.objectContaining({ contactId: record.ContactId, status: 'created' })]);
      const read = await admin('GET', `/v1/conversations/${posted.body.results[0].conversationId as string}`);
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body.legs).toEqual([expect.objectContaining({ contactId: record.ContactId })]);

      const tag = await admin('POST', '/v1/tag-definitions', { name: `roles-${process.pid}`, protectionYears: 7 });
      expect(tag.status, JSON.stringify(tag.body)).toBe(201);

      expect((await auditor('POST', '/v1/audit/checkpoints')).status).toBe(201);
      const verified = await auditor('GET', '/v1/audit/verify');
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
      expect(verified.body).toMatchObject({ verified: true });
    });
  });
});
