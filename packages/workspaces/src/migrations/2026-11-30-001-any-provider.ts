/**
 * Provider credentials accept any provider name: which providers exist is the provider registry's
 * business (validated at the HTTP boundary), not a constraint to migrate for every new provider.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The first migration's inline CHECK got PostgreSQL's default name.
  await sql`ALTER TABLE provider_credentials DROP CONSTRAINT IF EXISTS provider_credentials_provider_check`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE provider_credentials ADD CONSTRAINT provider_credentials_provider_check CHECK (provider in ('calendly', 'ghl'))`.execute(
    db,
  );
}
