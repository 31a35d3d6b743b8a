/**
 * Retention of the outbox: delivered notifications (by `delivered_at`) and failed ones (by
 * `failed_at`) older than `before` are deleted, in batches of `batchSize` rows (each batch its own
 * short statement, so neither the worker nor the projections wait long on it). Pending rows always
 * stay. Dropping an old row is safe: ids are only re-inserted by a live projection batch, and
 * rebuilds never write the outbox. Called by `recon start`'s retention loop in the role that runs
 * the notification worker.
 */
import { sql, type Kysely } from 'kysely';

export interface PruneOptions {
  /** Rows finished before this instant go. */
  readonly before: Date;
  /** Rows per DELETE (default 1,000). */
  readonly batchSize?: number;
  /** At most this many batches per call (default 100); the next call continues. */
  readonly maxBatches?: number;
}

export async function pruneNotificationOutbox(db: Kysely<unknown>, options: PruneOptions): Promise<number> {
  const batch = options.batchSize ?? 1_000;
  let batches = options.maxBatches ?? 100;
  let total = 0;
  for (const [status, column] of [
    ['delivered', 'delivered_at'],
    ['failed', 'failed_at'],
  ] as const) {
    while (batches > 0) {
      batches -= 1;
      const r = await sql`
        DELETE FROM notification_outbox WHERE id IN (
          SELECT id FROM notification_outbox
          WHERE status = ${status} AND ${sql.ref(column)} < ${options.before}
          LIMIT ${batch})`.execute(db);
      const n = Number(r.numAffectedRows ?? 0n);
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}
