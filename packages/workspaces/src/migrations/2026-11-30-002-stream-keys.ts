/**
 * Per-stream data keys for crypto-shredding (docs/security.md, "Erasure"): what an event carries
 * about a person is sealed under its stream's key; erasure deletes the row, and with it every way
 * to read those fields back. The key itself is sealed by the secret box (RECON_SECRET_KEY).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE stream_keys (
      stream_name text PRIMARY KEY,
      key_id text NOT NULL,
      sealed_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE stream_keys`.execute(db);
}
