/** Finished outbox rows are found by age for retention (pruneNotificationOutbox) without a table scan. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX notification_outbox_delivered_at ON notification_outbox (delivered_at) WHERE status = 'delivered';
    CREATE INDEX notification_outbox_failed_at ON notification_outbox (failed_at) WHERE status = 'failed';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS notification_outbox_failed_at;
    DROP INDEX IF EXISTS notification_outbox_delivered_at;
  `.execute(db);
}
