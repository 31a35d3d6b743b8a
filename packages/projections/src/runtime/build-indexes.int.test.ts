/** Keys and indexes built after a bulk load; an append-only table's duplicate keys keep their first row. */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupDatabase, type TestContext } from '../../test/testing/projections-test-context';
import { buildIndexes } from './build-indexes';

let t: TestContext;

beforeAll(async () => {
  t = await setupDatabase('projection-build-indexes');
});
afterAll(async () => {
  await t.close();
});

const projection = {
  tables: ['history', 'leads'],
  ddl: (schema: string) => sql`
    CREATE TABLE ${sql.id(schema)}.history (event_id text NOT NULL, n integer NOT NULL);
    ALTER TABLE ${sql.id(schema)}.history ADD PRIMARY KEY (event_id);
    CREATE TABLE ${sql.id(schema)}.leads (lead_id text NOT NULL);
    ALTER TABLE ${sql.id(schema)}.leads ADD PRIMARY KEY (lead_id);
    CREATE INDEX ON ${sql.id(schema)}.history (n);
  `,
};

it('builds every key and index; duplicates of a first-wins table keep their first row, others fail', async () => {
  const db = t.db as Kysely<unknown>;
  await sql`CREATE SCHEMA bi_test`.execute(db);
  await sql`CREATE TABLE bi_test.history (event_id text NOT NULL, n integer NOT NULL)`.execute(db);
  await sql`CREATE TABLE bi_test.leads (lead_id text NOT NULL)`.execute(db);
  await sql`INSERT INTO bi_test.history VALUES ('e1', 1), ('e2', 2), ('e1', 3)`.execute(db);
  await sql`INSERT INTO bi_test.leads VALUES ('L1')`.execute(db);
  await buildIndexes(db, [{ projection, schema: 'bi_test', firstWins: ['history'], tables: ['history'] }]);
  const early = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'bi_test'`.execute(db);
  expect(early.rows[0]?.n).toBe('2');
  await buildIndexes(db, [{ projection, schema: 'bi_test', tables: ['leads'] }]);
  const rows = await sql<{ event_id: string; n: number }>`SELECT * FROM bi_test.history ORDER BY event_id`.execute(db);
  expect(rows.rows).toEqual([
    { event_id: 'e1', n: 1 },
    { event_id: 'e2', n: 2 },
  ]);
  const indexes = await sql<{ n: string }>`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'bi_test'`.execute(
    db,
  );
  expect(indexes.rows[0]?.n).toBe('3');
  await sql`INSERT INTO bi_test.leads VALUES ('L2')`.execute(db);
  await sql`ALTER TABLE bi_test.leads DROP CONSTRAINT leads_pkey`.execute(db);
  await sql`INSERT INTO bi_test.leads VALUES ('L2')`.execute(db);
  await expect(
    buildIndexes(db, [
      {
        projection: {
          ...projection,
          tables: ['leads'],
          ddl: (s: string) => sql`ALTER TABLE ${sql.id(s)}.leads ADD PRIMARY KEY (lead_id);`,
        },
        schema: 'bi_test',
      },
    ]),
  ).rejects.toMatchObject({ code: '23505' });
});
