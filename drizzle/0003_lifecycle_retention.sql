CREATE TABLE "delete_tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"selection" jsonb NOT NULL,
	"retention_seconds" bigint NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "disposal_ledger" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"disposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"delete_task_id" uuid,
	"requested_by" text NOT NULL,
	"destroyed" jsonb NOT NULL,
	"audit_correlation_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "legal_holds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"reference" text,
	"scope" jsonb,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"placed_by" text NOT NULL,
	"released_at" timestamp with time zone,
	"released_by" text,
	"release_reason" text
);
--> statement-breakpoint
CREATE TABLE "recording_rules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"match" jsonb NOT NULL,
	"action" text NOT NULL,
	"tag_name" text,
	"tag_value" text,
	"require_consent" boolean DEFAULT false NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "protected_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "delete_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "delete_task_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disposal_ledger_time_idx" ON "disposal_ledger" USING btree ("disposed_at");--> statement-breakpoint
CREATE INDEX "disposal_ledger_conversation_idx" ON "disposal_ledger" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "legal_holds_active_idx" ON "legal_holds" USING btree ("conversation_id") WHERE "legal_holds"."released_at" is null;--> statement-breakpoint
CREATE INDEX "conversations_delete_due_idx" ON "conversations" USING btree ("delete_due_at") WHERE "conversations"."deleted_at" is null;