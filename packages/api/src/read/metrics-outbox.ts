/**
 * The notification outbox on /metrics, read at scrape time: rows waiting for delivery, rows that
 * gave up (kept until retention prunes them) and the age of the oldest waiting one. Both counts run
 * on partial indexes (`status = 'pending'`, `status = 'failed'`), so a scrape reads the small sets
 * only. Where the outbox's tables are not migrated (an app without the notifications group) or the
 * database is down, `recon_outbox_up` says 0 and the other gauges read 0 (they have no labels to leave out).
 */
import { sql, type Kysely } from 'kysely';
import { within } from '../ops/readiness';
import type { MetricsRegistry } from './metrics-registry';

export function installOutboxMetrics(registry: MetricsRegistry, db: Kysely<unknown>): void {
  const up = registry.gauge('recon_outbox_up', '1 when the last scrape could read the notification outbox');
  const pending = registry.gauge('recon_outbox_pending', 'Notifications waiting for delivery (retrying included)');
  const failed = registry.gauge(
    'recon_outbox_failed',
    'Notifications that gave up after their retry window (kept until retention prunes them)',
  );
  const oldest = registry.gauge(
    'recon_outbox_oldest_pending_seconds',
    'Age of the oldest notification waiting for delivery (0 when none waits)',
  );
  registry.onCollect(async () => {
    const read = await within(
      sql<{ pending: string; failed: string; oldest: number | null }>`
        SELECT (SELECT count(*) FROM notification_outbox WHERE status = 'pending') AS pending,
               (SELECT count(*) FROM notification_outbox WHERE status = 'failed') AS failed,
               (SELECT extract(epoch FROM now() - min(created_at))::float8
                  FROM notification_outbox WHERE status = 'pending') AS oldest`.execute(db),
    );
    const row = read.ok ? read.value.rows[0] : undefined;
    up.set(row === undefined ? 0 : 1);
    if (row === undefined) {
      pending.reset();
      failed.reset();
      oldest.reset();
      return;
    }
    pending.set(Number(row.pending));
    failed.set(Number(row.failed));
    oldest.set(Math.max(0, row.oldest ?? 0));
  });
}
