CREATE TABLE "training_assignments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"pack_id" uuid NOT NULL,
	"pack_version" integer NOT NULL,
	"assignee_user_id" uuid NOT NULL,
	"assignee_username" text NOT NULL,
	"assignee_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"reason" text NOT NULL,
	"review_id" uuid,
	"conversation_id" uuid,
	"reference_conversation_id" uuid,
	"coaching_group" text,
	"status" text DEFAULT 'assigned' NOT NULL,
	"attempts_allowed" integer NOT NULL,
	"attempts_used" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"remind_at" timestamp with time zone,
	"reminded_at" timestamp with time zone,
	"overdue_at" timestamp with time zone,
	"cancel_reason" text,
	"assigned_by" text NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"forwarded_event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_assignments_reason_ck" CHECK ("training_assignments"."reason" in ('review', 'onboarding', 'coaching')),
	CONSTRAINT "training_assignments_status_ck" CHECK ("training_assignments"."status" in ('assigned', 'passed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "training_attempts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"assignment_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"answers" jsonb NOT NULL,
	"score_percent" numeric(5, 2) NOT NULL,
	"passed" boolean NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"assignment_id" uuid NOT NULL,
	"conversation_id" uuid,
	"step" text NOT NULL,
	"actor" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "training_pack_versions" (
	"pack_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "training_pack_versions_pack_id_version_pk" PRIMARY KEY("pack_id","version")
);
--> statement-breakpoint
CREATE TABLE "training_packs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"purpose" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"assign_on_agent_creation" boolean DEFAULT false NOT NULL,
	"due_after_seconds" integer NOT NULL,
	"reminder_before_seconds" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "training_packs_purpose_ck" CHECK ("training_packs"."purpose" in ('performance', 'onboarding', 'coaching')),
	CONSTRAINT "training_packs_state_ck" CHECK ("training_packs"."state" in ('draft', 'active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "data_export_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"export_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"scheduled_for" timestamp with time zone,
	"requested_by" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"row_count" bigint,
	"size_bytes" bigint,
	"sha256" text,
	"file_path" text,
	"emailed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "data_export_runs_trigger_ck" CHECK ("data_export_runs"."trigger" in ('manual', 'scheduled')),
	CONSTRAINT "data_export_runs_status_ck" CHECK ("data_export_runs"."status" in ('running', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "data_exports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"filters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"schedule" jsonb,
	"delivery" text DEFAULT 'download' NOT NULL,
	"owner_id" uuid NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "data_exports_source_ck" CHECK ("data_exports"."source" in ('conversations', 'review-scores')),
	CONSTRAINT "data_exports_delivery_ck" CHECK ("data_exports"."delivery" in ('download', 'email'))
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notification_delivery" text DEFAULT 'immediate' NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "digest_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_outbox" ADD COLUMN "attachment" jsonb;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_pack_id_training_packs_id_fk" FOREIGN KEY ("pack_id") REFERENCES "public"."training_packs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_assignments" ADD CONSTRAINT "training_assignments_reference_conversation_id_conversations_id_fk" FOREIGN KEY ("reference_conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_attempts" ADD CONSTRAINT "training_attempts_assignment_id_training_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."training_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_events" ADD CONSTRAINT "training_events_assignment_id_training_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."training_assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_pack_versions" ADD CONSTRAINT "training_pack_versions_pack_id_training_packs_id_fk" FOREIGN KEY ("pack_id") REFERENCES "public"."training_packs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_export_runs" ADD CONSTRAINT "data_export_runs_export_id_data_exports_id_fk" FOREIGN KEY ("export_id") REFERENCES "public"."data_exports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "data_exports" ADD CONSTRAINT "data_exports_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_assignments_open_review_uq" ON "training_assignments" USING btree ("review_id") WHERE "training_assignments"."review_id" is not null and "training_assignments"."status" = 'assigned';--> statement-breakpoint
CREATE UNIQUE INDEX "training_assignments_onboarding_uq" ON "training_assignments" USING btree ("pack_id","assignee_user_id") WHERE "training_assignments"."reason" = 'onboarding';--> statement-breakpoint
CREATE INDEX "training_assignments_assignee_idx" ON "training_assignments" USING btree ("assignee_user_id","status");--> statement-breakpoint
CREATE INDEX "training_assignments_open_due_idx" ON "training_assignments" USING btree ("due_at") WHERE "training_assignments"."status" = 'assigned';--> statement-breakpoint
CREATE INDEX "training_assignments_report_idx" ON "training_assignments" USING btree ("assigned_at","pack_id");--> statement-breakpoint
CREATE INDEX "training_assignments_review_idx" ON "training_assignments" USING btree ("review_id") WHERE "training_assignments"."review_id" is not null;--> statement-breakpoint
CREATE INDEX "training_assignments_reference_idx" ON "training_assignments" USING btree ("reference_conversation_id","assignee_user_id") WHERE "training_assignments"."reference_conversation_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "training_attempts_number_uq" ON "training_attempts" USING btree ("assignment_id","number");--> statement-breakpoint
CREATE INDEX "training_events_assignment_idx" ON "training_events" USING btree ("assignment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "data_export_runs_scheduled_uq" ON "data_export_runs" USING btree ("export_id","scheduled_for") WHERE "data_export_runs"."scheduled_for" is not null;--> statement-breakpoint
CREATE INDEX "data_export_runs_export_idx" ON "data_export_runs" USING btree ("export_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "data_exports_owner_idx" ON "data_exports" USING btree ("owner_id");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_notification_delivery_ck" CHECK ("users"."notification_delivery" in ('immediate', 'daily-digest'));