-- Least privilege (README "Security: database roles"): migrations run as the owner role (MIGRATION_DATABASE_URL),
-- the engine as a login role IN ROLE recordkeeper_runtime. That group role owns nothing, so it can neither ALTER
-- nor DISABLE TRIGGER on any table, and on the append-only tables it may only SELECT and INSERT.
-- Every step runs only where the migrating role may; elsewhere (a role without CREATEROLE, PGlite) it says so.
-- Roles are cluster-wide: two databases migrating at once may race to create it, and the loser finds it made.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'recordkeeper_runtime') THEN
    CREATE ROLE recordkeeper_runtime NOLOGIN;
  END IF;
EXCEPTION
  WHEN insufficient_privilege THEN
    RAISE NOTICE 'recordkeeper_runtime not created: role % may not create roles (create it NOLOGIN as a superuser, then migrate again)', current_user;
  WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
--> statement-breakpoint
-- The chain trigger moves audit_chain_head, on which the runtime role holds only SELECT: it runs with its owner's
-- rights. A fixed search_path, pg_temp last, and qualified names keep a caller's temporary tables or functions
-- from standing in for the real ones.
DO $$
BEGIN
  CREATE OR REPLACE FUNCTION public.audit_log_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $fn$
  DECLARE
    head public.audit_chain_head%ROWTYPE;
  BEGIN
    -- The row lock serialises writers until commit; under READ COMMITTED a waiter then sees the new head.
    SELECT * INTO head FROM public.audit_chain_head WHERE id = 1 FOR UPDATE;
    NEW.chain_seq := head.chain_seq + 1;
    NEW.prev_hash := head.hash;
    -- Chain order and time order agree: the time is taken while holding the lock.
    NEW.occurred_at := pg_catalog.clock_timestamp();
    NEW.hash := public.audit_entry_digest(NEW.prev_hash, NEW);
    UPDATE public.audit_chain_head SET chain_seq = NEW.chain_seq, hash = NEW.hash WHERE id = 1;
    RETURN NEW;
  END
  $fn$;
  -- Firing a trigger checks no EXECUTE privilege; nobody needs to call it otherwise.
  REVOKE EXECUTE ON FUNCTION public.audit_log_chain() FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'audit_log_chain() not made SECURITY DEFINER: role % does not own it (migrate as its owner); a runtime role without UPDATE on audit_chain_head cannot append audit entries until then', current_user;
END
$$;
--> statement-breakpoint
-- The grants. Tables and sequences that later migrations create (as this owner) get the same DML grants by
-- default, so a future migration that adds an append-only table must, besides its refusing triggers, also run
--   REVOKE UPDATE, DELETE, TRUNCATE ON <table> FROM recordkeeper_runtime;
-- in a DO block that skips it where the role does not exist (see the block below).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'recordkeeper_runtime') THEN
    RAISE NOTICE 'recordkeeper_runtime does not exist: no grants made';
    RETURN;
  END IF;
  -- On PostgreSQL before 15 everyone may create tables in public, and a runtime role could own what it made.
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
  GRANT USAGE ON SCHEMA public TO recordkeeper_runtime;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO recordkeeper_runtime;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO recordkeeper_runtime;
  REVOKE UPDATE, DELETE, TRUNCATE ON public.audit_log, public.audit_checkpoints, public.disposal_ledger FROM recordkeeper_runtime;
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.audit_chain_head FROM recordkeeper_runtime;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO recordkeeper_runtime;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO recordkeeper_runtime;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'grants to recordkeeper_runtime not made: role % may not grant them (migrate as the tables'' owner)', current_user;
END
$$;
