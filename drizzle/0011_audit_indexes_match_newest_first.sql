-- ORDER BY ... DESC means NULLS FIRST; indexes built DESC NULLS LAST made PostgreSQL sort every match instead of walking the index.
DROP INDEX "audit_log_time_idx";--> statement-breakpoint
DROP INDEX "audit_log_activity_time_idx";--> statement-breakpoint
DROP INDEX "audit_log_actor_time_idx";--> statement-breakpoint
DROP INDEX "audit_log_actor_username_time_idx";--> statement-breakpoint
DROP INDEX "audit_log_result_time_idx";--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_activity_time_idx" ON "audit_log" USING btree ("activity","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_time_idx" ON "audit_log" USING btree ("actor_id","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_username_time_idx" ON "audit_log" USING btree ("actor_username","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_result_time_idx" ON "audit_log" USING btree ("result","occurred_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);