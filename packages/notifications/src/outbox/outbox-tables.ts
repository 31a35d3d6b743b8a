/**
 * The notification outbox table in kysely's shape. A row is written in the projection batch that
 * observed the change (so it exists exactly when the change committed) and then delivered by the
 * worker; `seq` orders a lead's notifications, `claim_id` fences an in-flight delivery.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Ts = ColumnType<Date, Date | string, Date | string>;

export type NotificationStatus = 'pending' | 'delivered' | 'failed';

export interface NotificationOutboxTable {
  /** The idempotency id (UUIDv5 of triggering event id + type + lead). */
  id: string;
  seq: Generated<string>;
  workspace_id: string;
  lead_id: string;
  type: string;
  /** The exact JSON text that is signed and sent, byte for byte, on every attempt. */
  body: string;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  occurred_at: Ts;
  created_at: Generated<Date>;
  /** When the next attempt may start; while claimed: when the claim's lease runs out. */
  next_attempt_at: Generated<Date>;
  /** Retries stop here (created_at + 24 h; redeliver starts a new window). */
  deadline_at: Ts;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  /** A code (HTTP_500, HTTP_REDIRECT, UNREACHABLE, NOTIFY_URL_MISSING …), never a message or a body. */
  last_error: string | null;
  last_http_status: number | null;
  claim_id: string | null;
}

export interface NotificationsDatabase {
  notification_outbox: NotificationOutboxTable;
}

export type NotificationOutboxRow = Selectable<NotificationOutboxTable>;
export type NewNotificationOutboxRow = Insertable<NotificationOutboxTable>;
