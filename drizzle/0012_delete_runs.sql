CREATE TABLE "delete_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"selected" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"report" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "delete_tasks" ADD COLUMN "interval_seconds" integer;--> statement-breakpoint
CREATE INDEX "delete_runs_task_idx" ON "delete_runs" USING btree ("task_id","started_at");