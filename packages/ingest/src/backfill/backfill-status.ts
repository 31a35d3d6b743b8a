/**
 * Backfills at a glance, across workspaces, for `recon status` and other admin views: how many
 * are running, queued and failed, the unfinished jobs (one per workspace at most) and the most
 * recently failed ones. Ids, counters and codes only: no PII.
 */
import type { Kysely } from 'kysely';
import { reconcileDb } from '../reconcile/reconcile-tables';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { toBackfillView, type BackfillView } from './backfill-view';

export interface BackfillStatus {
  readonly running: number;
  readonly queued: number;
  /** Failed jobs still kept (retention deletes finished jobs after a while). */
  readonly failed: number;
  /** Queued and running jobs, oldest first. */
  readonly unfinished: readonly BackfillView[];
  /** The last `recentFailed` failed jobs, newest first. */
  readonly recentFailed: readonly BackfillView[];
}

export async function backfillStatus(
  db: Kysely<WorkspacesDatabase>,
  now: Date,
  options: { readonly recentFailed?: number } = {},
): Promise<BackfillStatus> {
  const rdb = reconcileDb(db);
  const [counts, unfinished, failed] = await Promise.all([
    rdb
      .selectFrom('backfill_jobs')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', 'in', ['running', 'queued', 'failed'])
      .groupBy('status')
      .execute(),
    rdb
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('status', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
    rdb
      .selectFrom('backfill_jobs')
      .selectAll()
      .where('status', '=', 'failed')
      .where('finished_at', 'is not', null)
      .orderBy('finished_at', 'desc')
      .orderBy('id')
      .limit(options.recentFailed ?? 5)
      .execute(),
  ]);
  const count = (s: string) => Number(counts.find((c) => c.status === s)?.n ?? 0);
  return {
    running: count('running'),
    queued: count('queued'),
    failed: count('failed'),
    unfinished: unfinished.map((r) => toBackfillView(r, now)),
    recentFailed: failed.map((r) => toBackfillView(r, now)),
  };
}
