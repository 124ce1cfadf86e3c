CREATE TABLE "contact_record_deliveries" (
	"payload_sha256" text PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"contact_id" text NOT NULL,
	"record" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "contact_record_deliveries_conversation_idx" ON "contact_record_deliveries" USING btree ("conversation_id");