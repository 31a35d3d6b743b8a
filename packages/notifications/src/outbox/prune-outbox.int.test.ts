import { freshKysely, type FreshDatabase } from '@recon/testkit';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateNotifications } from '../migrate-notifications';
import { pruneNotificationOutbox } from './prune-outbox';

let database: FreshDatabase;
let db: Kysely<unknown>;
const NOW = new Date('2030-06-01T00:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

beforeAll(async () => {
  ({ database, db } = await freshKysely({
    name: 'prune-outbox',
    schemas: { notifications: ({ db }) => migrateNotifications(db) },
  }));
});
afterAll(async () => {
  await database.drop();
});

/** `n` rows of one kind, labelled by lead id. */
async function rows(n: number, lead: string, status: string, finishedAt: Date | null): Promise<void> {
  await sql`
    INSERT INTO notification_outbox (id, workspace_id, lead_id, type, body, status, occurred_at, created_at, deadline_at, delivered_at, failed_at)
    SELECT gen_random_uuid(), 'ws', ${lead}, 'lead.changed', '{}', ${status}, ${daysAgo(60)}, ${daysAgo(60)}, ${daysAgo(59)},
      ${status === 'delivered' ? finishedAt : null}, ${status === 'failed' ? finishedAt : null}
    FROM generate_series(1, ${n})`.execute(db);
}

async function left(): Promise<Record<string, number>> {
  const { rows: r } = await sql<{ lead_id: string; n: string }>`
    SELECT lead_id, count(*) AS n FROM notification_outbox GROUP BY lead_id`.execute(db);
  return Object.fromEntries(r.map((x) => [x.lead_id, Number(x.n)]));
}

describe('pruneNotificationOutbox', () => {
  it('deletes delivered and failed rows finished before the cutoff, in batches; newer and pending rows stay', async () => {
    await rows(250, 'old-delivered', 'delivered', daysAgo(31));
    await rows(3, 'old-failed', 'failed', daysAgo(40));
    await rows(2, 'new-delivered', 'delivered', daysAgo(29));
    await rows(2, 'new-failed', 'failed', daysAgo(1));
    await rows(4, 'old-pending', 'pending', null);

    // bounded: 2 batches of 100 per call, the next call continues
    const first = await pruneNotificationOutbox(db, { before: daysAgo(30), batchSize: 100, maxBatches: 2 });
    expect(first).toBe(200);
    const rest = await pruneNotificationOutbox(db, { before: daysAgo(30), batchSize: 100 });
    expect(rest).toBe(53);
    expect(await left()).toEqual({ 'new-delivered': 2, 'new-failed': 2, 'old-pending': 4 });
    expect(await pruneNotificationOutbox(db, { before: daysAgo(30) })).toBe(0);
  });
});
