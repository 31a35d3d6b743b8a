/** Outbox health for metrics and status pages: rows per status and the age of the oldest pending one. */
import { sql, type Kysely } from 'kysely';

export interface NotificationStats {
  readonly pending: number;
  readonly delivered: number;
  readonly failed: number;
  /** Seconds since the oldest pending notification was written (0 when none is pending). */
  readonly oldestPendingSeconds: number;
}

/** Across all workspaces, or one. */
export async function notificationStats(db: Kysely<unknown>, workspaceId?: string): Promise<NotificationStats> {
  const where = workspaceId === undefined ? sql`TRUE` : sql`workspace_id = ${workspaceId}`;
  const { rows } = await sql<{ pending: string; delivered: string; failed: string; oldest: number | null }>`
    SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'delivered') AS delivered,
           count(*) FILTER (WHERE status = 'failed') AS failed,
           extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending'))::float8 AS oldest
    FROM notification_outbox WHERE ${where}`.execute(db);
  const r = rows[0];
  return {
    pending: Number(r?.pending ?? 0),
    delivered: Number(r?.delivered ?? 0),
    failed: Number(r?.failed ?? 0),
    oldestPendingSeconds: Math.max(0, Math.round(r?.oldest ?? 0)),
  };
}
