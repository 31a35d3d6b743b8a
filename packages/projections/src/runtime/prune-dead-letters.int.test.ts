import { freshKysely, type FreshDatabase } from '@recon/testkit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateProjections } from '../migrate-projections';
import { listDeadLetters } from './dead-letters';
import { pruneDeadLetters } from './prune-dead-letters';

let database: FreshDatabase;
let db: Kysely<unknown>;
const NOW = new Date('2030-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

beforeAll(async () => {
  ({ database, db } = await freshKysely({
    name: 'prune-dead-letters',
    schemas: { projections: ({ db }) => migrateProjections(db) },
  }));
});
afterAll(async () => {
  await database.drop();
});

async function letters(n: number, prefix: string, status: 'skipped' | 'retrying', lastSeen: Date): Promise<void> {
  await sql`
    INSERT INTO projection_dead_letters
      (projection, event_id, position, stream_name, event_type, error_code, error_detail, attempts, status, first_seen_at, last_seen_at)
    SELECT 'core', ${prefix} || i, '1', 'lead-ws-1', 'LeadRegistered', 'HANDLER_FAILED', 'x', 3, ${status}, ${lastSeen}, ${lastSeen}
    FROM generate_series(1, ${n}) AS i`.execute(db);
}

describe('pruneDeadLetters', () => {
  it('deletes skipped dead letters last seen before the cutoff, in batches; newer and retrying ones stay', async () => {
    await letters(25, 'old-skipped-', 'skipped', daysAgo(31));
    await letters(2, 'new-skipped-', 'skipped', daysAgo(3));
    await letters(2, 'old-retrying-', 'retrying', daysAgo(90));
    expect(await pruneDeadLetters(db, { before: daysAgo(30), batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(await pruneDeadLetters(db, { before: daysAgo(30), batchSize: 10 })).toBe(5);
    const remaining = (await listDeadLetters(db)).map((d) => d.eventId).sort();
    expect(remaining).toEqual(['new-skipped-1', 'new-skipped-2', 'old-retrying-1', 'old-retrying-2']);
  });
});
