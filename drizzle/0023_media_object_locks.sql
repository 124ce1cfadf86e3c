CREATE TABLE "media_object_locks" (
	"sha256" text PRIMARY KEY NOT NULL,
	"version_id" text,
	"retain_until" timestamp with time zone,
	"legal_hold" boolean DEFAULT false NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "media_object_locks_sha256_ck" CHECK ("media_object_locks"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "media_removals" ADD COLUMN "destroyed_version_ids" text[];