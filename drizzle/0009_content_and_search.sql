CREATE TABLE "conversation_emails" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"message_id" text,
	"from_address" text,
	"to_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"cc_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"bcc_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"display_names" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text,
	"body_text" text,
	"sent_at" timestamp with time zone,
	"raw_sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_media" (
	"conversation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"position" integer NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text,
	"content_type" text NOT NULL,
	"segment_index" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_media_conversation_id_kind_position_pk" PRIMARY KEY("conversation_id","kind","position"),
	CONSTRAINT "conversation_media_kind_ck" CHECK ("conversation_media"."kind" in ('original', 'transcript', 'attachment', 'recording'))
);
--> statement-breakpoint
CREATE TABLE "conversation_messages" (
	"conversation_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"item_id" text NOT NULL,
	"item_type" text NOT NULL,
	"sent_at" timestamp (3) with time zone NOT NULL,
	"participant_id" text,
	"participant_role" text,
	"display_name" text,
	"content_type" text,
	"body" text,
	CONSTRAINT "conversation_messages_conversation_id_seq_pk" PRIMARY KEY("conversation_id","seq")
);
--> statement-breakpoint
CREATE TABLE "conversation_search_documents" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"document" "tsvector" NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "media_objects" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size_bytes" bigint NOT NULL,
	"content_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_objects_sha256_ck" CHECK ("media_objects"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "conversation_emails" ADD CONSTRAINT "conversation_emails_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_emails" ADD CONSTRAINT "conversation_emails_raw_sha256_media_objects_sha256_fk" FOREIGN KEY ("raw_sha256") REFERENCES "public"."media_objects"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_media" ADD CONSTRAINT "conversation_media_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_media" ADD CONSTRAINT "conversation_media_sha256_media_objects_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."media_objects"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_search_documents" ADD CONSTRAINT "conversation_search_documents_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversation_emails_from_idx" ON "conversation_emails" USING btree ("from_address");--> statement-breakpoint
CREATE INDEX "conversation_emails_to_idx" ON "conversation_emails" USING gin ("to_addresses");--> statement-breakpoint
CREATE INDEX "conversation_emails_cc_idx" ON "conversation_emails" USING gin ("cc_addresses");--> statement-breakpoint
CREATE INDEX "conversation_emails_subject_idx" ON "conversation_emails" USING gin (to_tsvector('simple', coalesce("subject", '')));--> statement-breakpoint
CREATE INDEX "conversation_media_sha256_idx" ON "conversation_media" USING btree ("sha256","conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_messages_item_uq" ON "conversation_messages" USING btree ("conversation_id","item_id");--> statement-breakpoint
CREATE INDEX "conversation_search_documents_document_idx" ON "conversation_search_documents" USING gin ("document");--> statement-breakpoint
CREATE INDEX "conversations_channel_started_idx" ON "conversations" USING btree ("channel","started_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "conversations_queue_idx" ON "conversations" USING btree ("queue_name");--> statement-breakpoint
CREATE INDEX "conversations_customer_address_idx" ON "conversations" USING btree ("customer_address");--> statement-breakpoint
CREATE INDEX "conversations_system_address_idx" ON "conversations" USING btree ("system_address");--> statement-breakpoint
CREATE INDEX "conversations_attributes_idx" ON "conversations" USING gin ("attributes" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "conversation_segments_party_a_idx" ON "conversation_segments" USING btree ("party_a");--> statement-breakpoint
CREATE INDEX "conversation_segments_party_b_idx" ON "conversation_segments" USING btree ("party_b");