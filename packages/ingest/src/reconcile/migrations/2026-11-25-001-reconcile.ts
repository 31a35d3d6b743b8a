/** Ingest's bookkeeping tables: scheduler memory per lead, workspace leases, backfill jobs. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE reconcile_leads (
      workspace_id text NOT NULL, lead_id text NOT NULL,
      last_attempt_at timestamptz NOT NULL, last_success_at timestamptz,
      booking_state text NOT NULL, current_end_at timestamptz,
      known_appointments jsonb NOT NULL DEFAULT '[]', failures integer NOT NULL DEFAULT 0,
      PRIMARY KEY (workspace_id, lead_id));
    CREATE INDEX reconcile_leads_due ON reconcile_leads (workspace_id, last_attempt_at);
    CREATE TABLE reconcile_leases (
      workspace_id text PRIMARY KEY, holder text, expires_at timestamptz NOT NULL, last_served_at timestamptz, last_scan_at timestamptz);
    CREATE TABLE calendly_seen_events (
      workspace_id text NOT NULL, event_uri text NOT NULL, updated_at text NOT NULL, PRIMARY KEY (workspace_id, event_uri));
    CREATE TABLE backfill_jobs (
      id text PRIMARY KEY, workspace_id text NOT NULL, status text NOT NULL,
      providers jsonb NOT NULL, range_from timestamptz, range_to timestamptz,
      cursor jsonb NOT NULL, leads_total integer NOT NULL DEFAULT 0, leads_done integer NOT NULL DEFAULT 0,
      events_appended integer NOT NULL DEFAULT 0, failures jsonb NOT NULL DEFAULT '{}',
      holder text, lease_expires_at timestamptz,
      created_at timestamptz NOT NULL, started_at timestamptz, updated_at timestamptz NOT NULL, finished_at timestamptz,
      cancel_requested boolean NOT NULL DEFAULT false);
    CREATE INDEX backfill_jobs_ws ON backfill_jobs (workspace_id, created_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS calendly_seen_events; DROP TABLE IF EXISTS backfill_jobs; DROP TABLE IF EXISTS reconcile_leases; DROP TABLE IF EXISTS reconcile_leads;`.execute(
    db,
  );
}
