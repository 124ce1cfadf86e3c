CREATE TABLE "recording_fetches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"segment_index" integer NOT NULL,
	"contact_id" text NOT NULL,
	"location" text NOT NULL,
	"bucket" text NOT NULL,
	"object_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version_id" text,
	"etag" text,
	"size_bytes" bigint,
	"sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fetched_at" timestamp with time zone,
	CONSTRAINT "recording_fetches_status_ck" CHECK ("recording_fetches"."status" in ('pending', 'fetched', 'given-up'))
);
--> statement-breakpoint
ALTER TABLE "recording_fetches" ADD CONSTRAINT "recording_fetches_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recording_fetches_contact_location_uq" ON "recording_fetches" USING btree ("contact_id","location");--> statement-breakpoint
CREATE UNIQUE INDEX "recording_fetches_segment_uq" ON "recording_fetches" USING btree ("conversation_id","segment_index");--> statement-breakpoint
CREATE INDEX "recording_fetches_due_idx" ON "recording_fetches" USING btree ("next_attempt_at") WHERE "recording_fetches"."status" = 'pending';