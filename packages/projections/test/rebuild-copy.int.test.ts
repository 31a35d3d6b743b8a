/**
 * A rebuild that loads its new generation with COPY (the caller hands over the pool) leaves the
 * same read models as the live runner built batch by batch, links included, also when most of its
 * working set was kept cold (as JSON text) along the way.
 */
import { waitFor, appendEvents } from '@recon/testkit';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rebuildProjections, startProjections } from '../src/index';
import { liveGeneration } from '../src/runtime/generations';
import { generateHistory } from './testing/generate-history';
import { setupDatabase, type TestContext } from './testing/projections-test-context';
import { snapshotViews } from './testing/snapshot';

let t: TestContext;

beforeAll(async () => {
  t = await setupDatabase('projection-rebuild-copy');
});
afterAll(async () => {
  await t.close();
});

it('a rebuild loaded with COPY equals the live build', { timeout: 120_000 }, async () => {
  const last = await appendEvents(t.store, generateHistory({ leads: 200, workspaces: 3, seed: 11 }));
  const live = startProjections({ store: t.store, db: t.db, clock: () => new Date(), options: { idleMs: 5 } });
  try {
    expect((await live.waitUntilCaughtUp(last, { timeoutMs: 60_000 })).ok).toBe(true);
    await waitFor(
      async () => {
        const pending = await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM projection_link_requests WHERE status = 'pending'`.execute(t.db);
        if (pending.rows[0]?.n !== '0') return false;
        return (await live.waitUntilCaughtUp(await t.store.lastCommittedPosition(), { timeoutMs: 200 })).ok;
      },
      { timeoutMs: 30_000, description: 'links dispatched and projected' },
    );
  } finally {
    await live.stop();
  }
  const built = await snapshotViews(t.db);
  expect(built['lead_lifecycle']?.length).toBe(200);
  const pool = new pg.Pool({ connectionString: t.fresh.url, max: 2 });
  try {
    const before = (await liveGeneration(t.db as Kysely<unknown>, 'core'))?.generation ?? 0;
    // Few rows kept as objects: most of the working set goes cold (JSON text) and comes back.
    const rebuilt = await rebuildProjections({ store: t.store, db: t.db, pool }, undefined, {
      pageSize: 500,
      hotRows: 25,
    });
    expect(rebuilt.ok).toBe(true);
    expect((await liveGeneration(t.db as Kysely<unknown>, 'core'))?.generation).toBe(before + 1);
  } finally {
    await pool.end();
  }
  expect(await snapshotViews(t.db)).toEqual(built);
  // Every key and index was built after the load.
  const indexes = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_indexes WHERE schemaname IN (SELECT schema_name FROM projection_generations)`.execute(
    t.db,
  );
  expect(Number(indexes.rows[0]?.n)).toBeGreaterThanOrEqual(20);
});
