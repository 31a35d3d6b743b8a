/**
 * Retention of backfill jobs: finished ones (completed, canceled, failed) that finished before
 * `before` are deleted, in batches; queued and running jobs always stay. Called by `recon start`'s
 * retention loop in the scheduler role (the one that resumes backfills).
 */
import { sql, type Kysely } from 'kysely';

export interface PruneBackfillJobsOptions {
  readonly before: Date;
  /** Rows per DELETE (default 1,000). */
  readonly batchSize?: number;
  /** At most this many batches per call (default 100). */
  readonly maxBatches?: number;
}

export async function pruneBackfillJobs(db: Kysely<unknown>, options: PruneBackfillJobsOptions): Promise<number> {
  const batch = options.batchSize ?? 1_000;
  let total = 0;
  for (let i = 0; i < (options.maxBatches ?? 100); i++) {
    const r = await sql`
      DELETE FROM backfill_jobs WHERE id IN (
        SELECT id FROM backfill_jobs
        WHERE status IN ('completed', 'canceled', 'failed') AND finished_at < ${options.before}
        LIMIT ${batch})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0n);
    total += n;
    if (n < batch) break;
  }
  return total;
}
