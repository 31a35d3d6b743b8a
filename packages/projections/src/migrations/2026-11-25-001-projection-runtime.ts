/**
 * The projections' durable bookkeeping: which generation (versioned schema) of each projection is
 * live, checkpoints per generation with a lease epoch (fencing), dead letters, and link requests
 * of the identities process manager. The read-model tables themselves are not migrated: they are
 * disposable, created per generation by the projection's code and rebuilt by replay.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE projection_generations (
      projection text PRIMARY KEY,
      generation integer NOT NULL,
      schema_name text NOT NULL,
      version integer NOT NULL,
      activated_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE projection_checkpoints (
      projection text NOT NULL,
      generation integer NOT NULL,
      position text NOT NULL,
      epoch integer NOT NULL DEFAULT 0,
      events_applied bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (projection, generation));
    CREATE TABLE projection_dead_letters (
      projection text NOT NULL,
      event_id text NOT NULL,
      position text NOT NULL,
      stream_name text NOT NULL,
      event_type text NOT NULL,
      error_code text NOT NULL,
      error_detail text NOT NULL,
      attempts integer NOT NULL,
      status text NOT NULL CHECK (status IN ('retrying', 'skipped')),
      first_seen_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      PRIMARY KEY (projection, event_id));
    CREATE TABLE projection_link_requests (
      id text PRIMARY KEY,
      workspace_id text NOT NULL,
      lead_id text NOT NULL,
      provider text NOT NULL,
      provider_appointment_id text NOT NULL,
      matched_by text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX projection_link_requests_pending ON projection_link_requests (created_at) WHERE status = 'pending';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS projection_link_requests;
    DROP TABLE IF EXISTS projection_dead_letters;
    DROP TABLE IF EXISTS projection_checkpoints;
    DROP TABLE IF EXISTS projection_generations;
  `.execute(db);
}
