/**
 * The migrate-everything harness: the schemas a test needs, migrated once per run into a template
 * database that every test file clones (see `freshDatabase({ schemas })`).
 *
 * Testkit cannot import the packages whose schemas it migrates: they depend on testkit for their
 * own tests, and a devDependency back would be a workspace cycle. So each package lists its
 * migrators in a few lines of its `testing/` folder (`testSchemas`) and passes them in; testkit
 * owns the rest (the pool, the order, the template key).
 */
import { createHash } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

/** One database, three ways in: migrators take whichever their package's takes. */
export interface MigrationTarget {
  readonly url: string;
  readonly pool: pg.Pool;
  readonly db: Kysely<unknown>;
}

/** Brings one package's schema up to date; must not keep connections of its own open. */
export type SchemaMigrator = (target: MigrationTarget) => Promise<unknown>;

/** Migrators by schema name, run in insertion order (the event store first). */
export type Schemas = Readonly<Record<string, SchemaMigrator>>;

/** The template key of a set of schemas: a hash of their names in order (first, as names get cut), then the names. */
export function schemasKey(schemas: Schemas): string {
  const names = Object.keys(schemas);
  return `${createHash('sha256').update(names.join('+')).digest('hex').slice(0, 8)}_${names.join('_')}`;
}

/** A `migrate(url)` running every migrator of `schemas` on one small pool. */
export function migrateSchemas(schemas: Schemas): (url: string) => Promise<void> {
  return async (url) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    // The template build terminates leftover sessions right after migrating: not an error here.
    pool.on('error', () => undefined);
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    try {
      for (const migrate of Object.values(schemas)) await migrate({ url, pool, db });
    } finally {
      await db.destroy();
    }
  };
}

/** A kysely handle on its own pool (ended by `destroy`), quiet when a test drops the database under it. */
export function testKysely<DB>(url: string, max = 10): Kysely<DB> {
  const pool = new pg.Pool({ connectionString: url, max });
  // A database dropped WITH FORCE at teardown ends idle clients with an 'error': not a failure.
  pool.on('error', () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
