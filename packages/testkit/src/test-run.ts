/**
 * A test run's identity: every database the harness creates is named with the run id, so the
 * global teardown can drop exactly this run's databases (and never another run's on a shared
 * server). The global setup fixes the id in the environment before vitest forks its workers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from './database-url';

const RUN_ID_ENV = 'RECON_TEST_RUN_ID';

export function testRunId(): string {
  const existing = process.env[RUN_ID_ENV];
  if (existing !== undefined && /^[a-z0-9]{1,12}$/.test(existing)) return existing;
  const id = randomBytes(5).toString('hex');
  process.env[RUN_ID_ENV] = id;
  return id;
}

export const TEST_DB_PREFIX = 'recon_t_';
export const TEMPLATE_DB_PREFIX = 'recon_tpl_';

/** Drops a database even when clients are still connected (it is a test database). */
export async function dropDatabase(admin: pg.ClientBase, name: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`).catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
}

/** Drops every test and template database of one run. */
export async function dropRunDatabases(serverUrl: string, runId: string): Promise<number> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname LIKE $2`,
      [`${TEST_DB_PREFIX}${runId}\\_%`, `${TEMPLATE_DB_PREFIX}${runId}\\_%`],
    );
    for (const { datname } of rows) await dropDatabase(admin, datname);
    return rows.length;
  } finally {
    await admin.end();
  }
}
