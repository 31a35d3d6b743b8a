/**
 * A fresh database (freshDatabase) with a kysely handle on its pool: the setup of an integration test
 * that only needs SQL on migrated schemas (retention prunes, read-model queries). `drop()` ends the
 * pool and drops the database, as FreshDatabase's does.
 */
import { Kysely, PostgresDialect } from 'kysely';
import { freshDatabase, type FreshDatabase, type FreshDatabaseOptions } from './fresh-database';

export interface FreshKysely<DB> {
  readonly database: FreshDatabase;
  readonly db: Kysely<DB>;
}

export async function freshKysely<DB = unknown>(options: FreshDatabaseOptions): Promise<FreshKysely<DB>> {
  const database = await freshDatabase(options);
  return { database, db: new Kysely<DB>({ dialect: new PostgresDialect({ pool: database.pool }) }) };
}
