CREATE TABLE "call_recordings" (
	"conversation_id" uuid NOT NULL,
	"segment_index" integer NOT NULL,
	"sha256" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"source" text NOT NULL,
	"source_location" text,
	"stored_by" text NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_recordings_conversation_id_segment_index_pk" PRIMARY KEY("conversation_id","segment_index"),
	CONSTRAINT "call_recordings_source_ck" CHECK ("call_recordings"."source" in ('upload', 's3'))
);
--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_recordings" ADD CONSTRAINT "call_recordings_sha256_media_objects_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."media_objects"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_recordings_sha256_idx" ON "call_recordings" USING btree ("sha256");