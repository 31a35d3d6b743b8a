/**
 * Backfill limits: at most one unfinished (queued or running) backfill per workspace, enforced by a
 * partial unique index so two concurrent requests cannot both start one; a failed job keeps its
 * error code (`error_code`, shown by `GET …/backfills/:id`); finished jobs are found by age for
 * retention. Older duplicates of an unfinished job (from before this limit) are canceled first.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE backfill_jobs ADD COLUMN error_code text;
    UPDATE backfill_jobs b
       SET status = 'canceled', cancel_requested = true, finished_at = now(), updated_at = now(),
           holder = NULL, lease_expires_at = NULL, error_code = 'BACKFILL_SUPERSEDED'
     WHERE b.status IN ('queued', 'running')
       AND EXISTS (SELECT 1 FROM backfill_jobs n
                    WHERE n.workspace_id = b.workspace_id AND n.status IN ('queued', 'running')
                      AND (n.created_at, n.id) > (b.created_at, b.id));
    CREATE UNIQUE INDEX backfill_jobs_one_unfinished ON backfill_jobs (workspace_id) WHERE status IN ('queued', 'running');
    CREATE INDEX backfill_jobs_finished ON backfill_jobs (finished_at) WHERE finished_at IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS backfill_jobs_finished;
    DROP INDEX IF EXISTS backfill_jobs_one_unfinished;
    ALTER TABLE backfill_jobs DROP COLUMN IF EXISTS error_code;
  `.execute(db);
}
