-- The disposal ledger is proof that outlives the records: like audit_log, it only grows.
CREATE TRIGGER disposal_ledger_append_only BEFORE UPDATE OR DELETE ON disposal_ledger FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER disposal_ledger_no_truncate BEFORE TRUNCATE ON disposal_ledger FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
