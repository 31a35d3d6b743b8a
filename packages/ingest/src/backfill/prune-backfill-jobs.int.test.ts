import { freshKysely, type FreshDatabase } from '@recon/testkit';
import { migrateWorkspaces } from '@recon/workspaces';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateIngest } from '../reconcile/migrate-ingest';
import { pruneBackfillJobs } from './prune-backfill-jobs';

let database: FreshDatabase;
let db: Kysely<unknown>;
const NOW = new Date('2030-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

beforeAll(async () => {
  ({ database, db } = await freshKysely({
    name: 'prune-backfill-jobs',
    schemas: { workspaces: ({ db }) => migrateWorkspaces(db), ingest: ({ db }) => migrateIngest(db) },
  }));
});
afterAll(async () => {
  await database.drop();
});

async function jobs(n: number, prefix: string, status: string, finishedAt: Date | null): Promise<void> {
  // one workspace per unfinished job: at most one may be unfinished per workspace
  await sql`
    INSERT INTO backfill_jobs (id, workspace_id, status, providers, cursor, created_at, updated_at, finished_at)
    SELECT ${prefix} || i, ${prefix} || i, ${status}, '["ghl"]', '{"phase":"done"}', ${daysAgo(100)}, ${daysAgo(100)}, ${finishedAt}
    FROM generate_series(1, ${n}) AS i`.execute(db);
}

describe('pruneBackfillJobs', () => {
  it('deletes finished jobs that finished before the cutoff, in batches; newer and unfinished jobs stay', async () => {
    await jobs(12, 'old-completed-', 'completed', daysAgo(31));
    await jobs(2, 'old-canceled-', 'canceled', daysAgo(45));
    await jobs(2, 'old-failed-', 'failed', daysAgo(45));
    await jobs(2, 'new-completed-', 'completed', daysAgo(2));
    await jobs(1, 'old-running-', 'running', null);
    await jobs(1, 'old-queued-', 'queued', null);
    expect(await pruneBackfillJobs(db, { before: daysAgo(30), batchSize: 5, maxBatches: 2 })).toBe(10);
    expect(await pruneBackfillJobs(db, { before: daysAgo(30), batchSize: 5 })).toBe(6);
    const { rows } = await sql<{ id: string }>`SELECT id FROM backfill_jobs ORDER BY id`.execute(db);
    expect(rows.map((r) => r.id)).toEqual(['new-completed-1', 'new-completed-2', 'old-queued-1', 'old-running-1']);
  });
});
