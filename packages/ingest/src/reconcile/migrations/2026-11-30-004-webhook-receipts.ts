/**
 * `webhook_receipts`: one row per provider fact version a webhook delivered (appointment id and the
 * provider's update time), duplicates included, with when it first arrived. A webhook that arrives
 * after polling recorded the fact decides no event, so only this row shows that it did arrive
 * (lost-delivery counts, docs/observability.md); it also gives a provider's last webhook.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE webhook_receipts (
      workspace_id text NOT NULL, provider text NOT NULL, provider_appointment_id text NOT NULL,
      provider_updated_at timestamptz, received_at timestamptz NOT NULL);
    CREATE UNIQUE INDEX webhook_receipts_key ON webhook_receipts
      (workspace_id, provider, provider_appointment_id, coalesce(provider_updated_at, 'epoch'::timestamptz));
    CREATE INDEX webhook_receipts_last ON webhook_receipts (workspace_id, provider, received_at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS webhook_receipts`.execute(db);
}
