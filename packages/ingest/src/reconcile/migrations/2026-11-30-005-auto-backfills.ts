/**
 * `auto_backfills`: the bounded backfills recon started by itself for an unhealthy provider
 * (deliveries/auto-backfill.ts), with the reasons, so the health route and the page can say so and
 * a provider gets at most one per cooldown.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE auto_backfills (
      workspace_id text NOT NULL, provider text NOT NULL, job_id text NOT NULL,
      reasons jsonb NOT NULL, range_from timestamptz NOT NULL, range_to timestamptz NOT NULL,
      started_at timestamptz NOT NULL, PRIMARY KEY (workspace_id, provider, started_at));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS auto_backfills`.execute(db);
}
