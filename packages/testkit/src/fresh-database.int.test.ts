import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from './fresh-database';
import { postgresServerUrl } from './postgres-server';

let migrations = 0;
async function migrate(url: string): Promise<void> {
  migrations += 1;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE widgets (id int PRIMARY KEY, label text NOT NULL)');
  await client.query(`INSERT INTO widgets VALUES (1, 'seed')`);
  await client.end();
}

async function databaseExists(name: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: await postgresServerUrl() });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  await admin.end();
  return rowCount === 1;
}

describe('freshDatabase', () => {
  let a: FreshDatabase;
  let b: FreshDatabase;
  const key = `testkit-${Date.now()}`;

  beforeAll(async () => {
    [a, b] = await Promise.all([
      freshDatabase({ name: 'fresh-database-a', migrate, templateKey: key }),
      freshDatabase({ name: 'fresh-database-b', migrate, templateKey: key }),
    ]);
  });
  afterAll(async () => {
    await a.drop();
    await b.drop();
  });

  it('clones the migrated template once for concurrent callers', async () => {
    expect(migrations).toBe(1);
    const { rows } = await a.pool.query('SELECT label FROM widgets');
    expect(rows).toEqual([{ label: 'seed' }]);
  });

  it('gives each caller its own database', async () => {
    expect(a.url).not.toBe(b.url);
    await a.pool.query(`INSERT INTO widgets VALUES (2, 'only in a')`);
    const { rows } = await b.pool.query<{ n: string }>('SELECT count(*) AS n FROM widgets');
    expect(rows[0]?.n).toBe('1');
  });

  it('drops the database (and is idempotent)', async () => {
    const extra = await freshDatabase({ name: 'dropped' });
    const name = new URL(extra.url).pathname.slice(1);
    expect(await databaseExists(name)).toBe(true);
    await extra.pool.query('SELECT 1');
    await extra.drop();
    await extra.drop();
    expect(await databaseExists(name)).toBe(false);
  });
});
