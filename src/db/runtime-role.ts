import { sql } from 'drizzle-orm';
import type { Executor } from './client.js';
import { queryRows } from './query-rows.js';

export interface RuntimeRole {
  role: string;
  superuser: boolean;
  /** The role owns audit_log, or is a member of a role that does. */
  ownsAuditLog: boolean;
}

/** Who the engine's own connection is: a superuser or audit_log's owner can switch the audit tables' guards off. */
export async function describeRuntimeRole(executor: Executor): Promise<RuntimeRole> {
  const [row] = await queryRows<{ role: string; superuser: boolean; owns_audit_log: boolean }>(
    executor,
    sql`select current_user as role,
      coalesce((select rolsuper from pg_catalog.pg_roles where rolname = current_user), false) as superuser,
      coalesce((select pg_catalog.pg_has_role(current_user, relowner, 'MEMBER') from pg_catalog.pg_class
        where oid = pg_catalog.to_regclass('public.audit_log')), false) as owns_audit_log`,
  );
  return { role: row!.role, superuser: row!.superuser, ownsAuditLog: row!.owns_audit_log };
}
