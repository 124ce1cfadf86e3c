CREATE TABLE "audit_chain_head" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_chain_head_single_row_ck" CHECK ("audit_chain_head"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_seq" bigint DEFAULT 0 NOT NULL,
	"occurred_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"module" text NOT NULL,
	"activity" text NOT NULL,
	"phase" text NOT NULL,
	"result" text,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"actor_username" text NOT NULL,
	"actor_full_name" text NOT NULL,
	"description" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"correlation_id" text NOT NULL,
	"conversation_id" uuid,
	"prev_hash" text DEFAULT '' NOT NULL,
	"hash" text DEFAULT '' NOT NULL,
	CONSTRAINT "audit_log_chain_seq_unique" UNIQUE("chain_seq"),
	CONSTRAINT "audit_log_phase_ck" CHECK ("audit_log"."phase" in ('BEGIN', 'END', 'SYNC')),
	CONSTRAINT "audit_log_result_ck" CHECK ("audit_log"."result" is null or "audit_log"."result" in ('OK', 'FAIL', 'UNAUTHORIZED')),
	CONSTRAINT "audit_log_result_phase_ck" CHECK (("audit_log"."phase" = 'BEGIN') = ("audit_log"."result" is null))
);
--> statement-breakpoint
CREATE TABLE "contact_records" (
	"contact_id" text PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"initial_contact_id" text,
	"previous_contact_id" text,
	"next_contact_id" text,
	"channel" text NOT NULL,
	"initiation_method" text,
	"initiation_timestamp" timestamp with time zone,
	"disconnect_timestamp" timestamp with time zone,
	"last_update_timestamp" timestamp with time zone NOT NULL,
	"payload_sha256" text NOT NULL,
	"record" jsonb NOT NULL,
	"deliveries" integer DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"external_key" text NOT NULL,
	"channel" text NOT NULL,
	"lifecycle_state" text DEFAULT 'captured' NOT NULL,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"agent_username" text,
	"queue_name" text,
	"customer_address" text,
	"system_address" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_records" ADD CONSTRAINT "contact_records_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_time_idx" ON "audit_log" USING btree ("occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_activity_time_idx" ON "audit_log" USING btree ("activity","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_actor_time_idx" ON "audit_log" USING btree ("actor_id","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_result_time_idx" ON "audit_log" USING btree ("result","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_conversation_idx" ON "audit_log" USING btree ("conversation_id","chain_seq") WHERE "audit_log"."conversation_id" is not null;--> statement-breakpoint
CREATE INDEX "audit_log_correlation_idx" ON "audit_log" USING btree ("correlation_id");--> statement-breakpoint
CREATE INDEX "contact_records_conversation_idx" ON "contact_records" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_source_key_uq" ON "conversations" USING btree ("source","external_key");--> statement-breakpoint
CREATE INDEX "conversations_started_idx" ON "conversations" USING btree ("started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_agent_idx" ON "conversations" USING btree ("agent_username");