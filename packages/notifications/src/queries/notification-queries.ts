/**
 * The outbox as operators see it: notifications of a workspace by status, keyset-paged by their
 * sequence (stable while new rows arrive: they sort after every cursor), and the redeliver action.
 */
import { decodeCursor, encodeCursor, MAX_PAGE, type PageResult } from '@recon/projections';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { DEFAULT_RETRY_WINDOW_MS } from '../outbox/notification-outbox';
import type { NotificationOutboxRow, NotificationsDatabase, NotificationStatus } from '../outbox/outbox-tables';

export interface NotificationItem {
  readonly id: string;
  readonly type: string;
  readonly leadId: string;
  readonly status: NotificationStatus;
  readonly attempts: number;
  readonly occurredAt: string;
  readonly createdAt: string;
  /** When the next attempt may start (pending only). */
  readonly nextAttemptAt: string | null;
  readonly deliveredAt: string | null;
  readonly failedAt: string | null;
  readonly lastError: { readonly code: string; readonly httpStatus: number | null } | null;
  /** The body as sent (ids and states only). */
  readonly payload: Record<string, unknown>;
}

export function toNotificationItem(r: NotificationOutboxRow): NotificationItem {
  return {
    id: r.id,
    type: r.type,
    leadId: r.lead_id,
    status: r.status,
    attempts: r.attempts,
    occurredAt: r.occurred_at.toISOString(),
    createdAt: r.created_at.toISOString(),
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    failedAt: r.failed_at?.toISOString() ?? null,
    lastError: r.last_error === null ? null : { code: r.last_error, httpStatus: r.last_http_status },
    payload: JSON.parse(r.body) as Record<string, unknown>,
  };
}

const SeqCursor = z.tuple([z.string().regex(/^\d{1,19}$/)]);

export async function listNotifications(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  anyDb: Kysely<any>,
  workspaceId: string,
  query: {
    readonly status?: NotificationStatus;
    readonly leadId?: string;
    readonly limit?: number;
    readonly cursor?: string | null;
  } = {},
): Promise<PageResult<NotificationItem>> {
  const db = anyDb as Kysely<NotificationsDatabase>;
  const cursor = decodeCursor(query.cursor, SeqCursor);
  if (!cursor.ok) return cursor;
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(query.limit ?? 50)));
  let q = db.selectFrom('notification_outbox').selectAll().where('workspace_id', '=', workspaceId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  if (query.leadId !== undefined) q = q.where('lead_id', '=', query.leadId);
  if (cursor.value !== null) q = q.where('seq', '>', cursor.value[0]);
  const rows = await q
    .orderBy('seq')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page[page.length - 1] : undefined;
  return {
    ok: true,
    value: {
      items: page.map(toNotificationItem),
      nextCursor: last === undefined ? null : encodeCursor([String(last.seq)]),
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RedeliverResult =
  | { readonly ok: true; readonly value: NotificationItem }
  | { readonly ok: false; readonly code: 'NOTIFICATION_NOT_FOUND' };

/**
 * Sends a notification again with the same id (receivers dedupe by it), starting a new retry
 * window now. A delivery in flight is left alone (it is being sent right now).
 */
export async function redeliverNotification(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  anyDb: Kysely<any>,
  workspaceId: string,
  id: string,
  retryWindowMs: number = DEFAULT_RETRY_WINDOW_MS,
): Promise<RedeliverResult> {
  if (!UUID.test(id)) return { ok: false, code: 'NOTIFICATION_NOT_FOUND' };
  const db = anyDb as Kysely<NotificationsDatabase>;
  const { rows } = await sql<NotificationOutboxRow>`
    UPDATE notification_outbox
    SET status = 'pending', attempts = 0, next_attempt_at = now(),
        deadline_at = now() + ${retryWindowMs}::double precision * interval '1 millisecond',
        delivered_at = NULL, failed_at = NULL, claim_id = NULL
    WHERE workspace_id = ${workspaceId} AND id = ${id}
      AND NOT (status = 'pending' AND claim_id IS NOT NULL AND next_attempt_at > now())
    RETURNING *`.execute(db);
  // No row updated: unknown here, or in flight right now (then it is answered as it stands).
  const row =
    rows[0] ??
    (await db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst());
  return row === undefined
    ? { ok: false, code: 'NOTIFICATION_NOT_FOUND' }
    : { ok: true, value: toNotificationItem(row) };
}
