CREATE TABLE "legal_hold_releases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hold_group_id" uuid NOT NULL,
	"conversation_id" uuid,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"report" jsonb NOT NULL,
	CONSTRAINT "legal_hold_releases_status_ck" CHECK ("legal_hold_releases"."status" in ('pending', 'approved')),
	CONSTRAINT "legal_hold_releases_four_eyes_ck" CHECK ("legal_hold_releases"."approved_by" is null or "legal_hold_releases"."approved_by" <> "legal_hold_releases"."requested_by")
);
--> statement-breakpoint
CREATE INDEX "legal_hold_releases_group_idx" ON "legal_hold_releases" USING btree ("hold_group_id");