CREATE TABLE "conversation_segments" (
	"conversation_id" uuid NOT NULL,
	"segment_index" integer NOT NULL,
	"kind" text NOT NULL,
	"party_a" text NOT NULL,
	"party_b" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"recorded" boolean NOT NULL,
	"rule_id" text,
	"consent" text NOT NULL,
	"media_kept" boolean NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_tags" (
	"conversation_id" uuid NOT NULL,
	"segment_index" integer NOT NULL,
	"name" text NOT NULL,
	"value" text,
	"source" text NOT NULL,
	"applied_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tag_definitions" (
	"name" text PRIMARY KEY NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"protection_years" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_segments" ADD CONSTRAINT "conversation_segments_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_tags" ADD CONSTRAINT "conversation_tags_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_segments_uq" ON "conversation_segments" USING btree ("conversation_id","segment_index");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_tags_uq" ON "conversation_tags" USING btree ("conversation_id","segment_index","name","source");--> statement-breakpoint
CREATE INDEX "conversation_tags_name_value_idx" ON "conversation_tags" USING btree ("name","value");