/** First schema of the notifications package: the outbox and the indexes its worker and views need. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notification_outbox (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      workspace_id text NOT NULL,
      lead_id text NOT NULL,
      type text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      occurred_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      deadline_at timestamptz NOT NULL,
      last_attempt_at timestamptz,
      delivered_at timestamptz,
      failed_at timestamptz,
      last_error text,
      last_http_status integer,
      claim_id uuid
    );
    CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at, seq) WHERE status = 'pending';
    CREATE INDEX notification_outbox_lead_pending ON notification_outbox (workspace_id, lead_id, seq) WHERE status = 'pending';
    CREATE INDEX notification_outbox_view ON notification_outbox (workspace_id, status, seq);
    CREATE INDEX notification_outbox_all ON notification_outbox (workspace_id, seq);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS notification_outbox`.execute(db);
}
