CREATE TABLE "audit_checkpoints" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain_seq" bigint NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_checkpoints_chain_seq_unique" UNIQUE("chain_seq")
);
--> statement-breakpoint
CREATE INDEX "audit_log_actor_username_time_idx" ON "audit_log" USING btree ("actor_username","occurred_at" DESC NULLS LAST,"id" DESC NULLS LAST);