CREATE TABLE "media_removals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sha256" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"disposal_id" uuid NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"outcome" text,
	CONSTRAINT "media_removals_outcome_ck" CHECK (("media_removals"."settled_at" is null) = ("media_removals"."outcome" is null) and ("media_removals"."outcome" is null or "media_removals"."outcome" in ('removed', 'in-use')))
);
--> statement-breakpoint
ALTER TABLE "media_removals" ADD CONSTRAINT "media_removals_disposal_id_disposal_ledger_id_fk" FOREIGN KEY ("disposal_id") REFERENCES "public"."disposal_ledger"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "media_removals_disposal_sha256_uq" ON "media_removals" USING btree ("disposal_id","sha256");--> statement-breakpoint
CREATE INDEX "media_removals_pending_idx" ON "media_removals" USING btree ("queued_at") WHERE "media_removals"."settled_at" is null;