/**
 * Retention of dead letters: skipped ones last seen before `before` are deleted, in batches.
 * `retrying` ones stay (their event is still being retried). A skipped dead letter matters only
 * until the live checkpoint passed its event (minutes); rebuilds do not read dead letters (a poison
 * event fails a rebuild at once). Called by `recon start`'s retention loop in the projections role.
 */
import { sql, type Kysely } from 'kysely';

export interface PruneDeadLettersOptions {
  readonly before: Date;
  /** Rows per DELETE (default 1,000). */
  readonly batchSize?: number;
  /** At most this many batches per call (default 100). */
  readonly maxBatches?: number;
}

export async function pruneDeadLetters(db: Kysely<unknown>, options: PruneDeadLettersOptions): Promise<number> {
  const batch = options.batchSize ?? 1_000;
  let total = 0;
  for (let i = 0; i < (options.maxBatches ?? 100); i++) {
    const r = await sql`
      DELETE FROM projection_dead_letters WHERE (projection, event_id) IN (
        SELECT projection, event_id FROM projection_dead_letters
        WHERE status = 'skipped' AND last_seen_at < ${options.before}
        LIMIT ${batch})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0n);
    total += n;
    if (n < batch) break;
  }
  return total;
}
