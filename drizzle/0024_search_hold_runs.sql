CREATE TABLE "search_hold_runs" (
	"hold_group_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'placing' NOT NULL,
	"query" jsonb NOT NULL,
	"scope" jsonb NOT NULL,
	"reason" text NOT NULL,
	"reference" text,
	"actor" jsonb NOT NULL,
	"correlation_id" text NOT NULL,
	"captured_before" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"pages_done" integer DEFAULT 0 NOT NULL,
	"after" jsonb,
	"matched" integer DEFAULT 0 NOT NULL,
	"held" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"skips" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"failure" text,
	CONSTRAINT "search_hold_runs_status_ck" CHECK ("search_hold_runs"."status" in ('placing', 'in_force', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "search_hold_runs_placing_idx" ON "search_hold_runs" USING btree ("started_at") WHERE "search_hold_runs"."status" = 'placing';