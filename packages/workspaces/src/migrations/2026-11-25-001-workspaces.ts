/** First schema of the workspaces package: workspaces, api keys, credentials, settings, contacts. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('provider_credentials')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('calendly', 'ghl')`))
    .addColumn('public_config', 'jsonb', (c) => c.notNull())
    .addColumn('sealed_secrets', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_credentials_pk', ['workspace_id', 'provider'])
    .execute();
  await db.schema
    .createTable('workspace_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id').onDelete('cascade'))
    .addColumn('booked_sentiment_labels', 'jsonb', (c) => c.notNull())
    .addColumn('auto_correct_sentiment', 'boolean', (c) => c.notNull())
    .addColumn('reconcile_interval_minutes', 'integer', (c) => c.notNull())
    .addColumn('notify_url', 'text')
    .addColumn('sealed_notify_secret', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('lead_contacts')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('lead_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('alternate_emails', 'jsonb', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('seq', 'bigserial', (c) => c.notNull())
    .addPrimaryKeyConstraint('lead_contacts_pk', ['workspace_id', 'lead_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['lead_contacts', 'workspace_settings', 'provider_credentials', 'api_keys', 'workspaces']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
