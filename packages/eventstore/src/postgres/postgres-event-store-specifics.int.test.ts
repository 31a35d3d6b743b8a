/**
 * What the contract cannot say about the PostgreSQL adapter: NOTIFY wakes subscriptions (no
 * polling needed), the polling fallback covers a missing NOTIFY, idle subscriptions do not spin,
 * idempotent retries with `any`, and migrations that can be re-run.
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collect } from '../testing/contract/contract-helpers';
import { migrateEventStore } from './migrate-event-store';
import { createPostgresEventStore } from './postgres-event-store';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ name: 'pg-store-specifics', migrate: migrateEventStore, templateKey: 'eventstore' });
});
afterAll(async () => {
  await db.drop();
});

const event = (type = 'Thing') => ({ id: randomUUID(), type, data: { at: 1 } });

describe('PostgreSQL event store specifics', () => {
  it('wakes a subscription by NOTIFY, without waiting for the polling interval', async () => {
    const store = createPostgresEventStore({ connectionString: db.url, pollIntervalMs: 60_000 });
    const sub = collect(store, { streamPrefixes: ['notify-'] });
    try {
      await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
      await store.append('notify-1', [event()]);
      await sub.until((items) => items.some((i) => i.kind === 'event'), 'the live event, long before the 60 s poll');
    } finally {
      await sub.stop();
      await store.close();
    }
  });

  it('falls back to polling when no NOTIFY arrives, and does not query while idle', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const store = createPostgresEventStore({ pool, pollIntervalMs: 150 });
    const sub = collect(store, { streamPrefixes: ['silent-'] });
    try {
      await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
      const query = vi.spyOn(pool, 'query');
      const idleStart = Date.now();
      await waitFor(() => Date.now() - idleStart >= 600, { timeoutMs: 2_000, intervalMs: 100 });
      expect(query.mock.calls.length).toBeLessThanOrEqual(6); // ~1 poll per 150 ms, never a spin
      // An event written without NOTIFY (bypassing the append function).
      await db.pool.query(
        `INSERT INTO eventstore.events (stream_name, revision, event_id, event_type, data) VALUES ('silent-1', 0, $1, 'Quiet', '{}')`,
        [randomUUID()],
      );
      await sub.until((items) => items.some((i) => i.kind === 'event'), 'the polled event');
    } finally {
      await sub.stop();
      await store.close();
      await pool.end();
    }
  });

  it('treats a retry with expectedRevision any as idempotent, and rejects an id reused elsewhere', async () => {
    const store = createPostgresEventStore({ connectionString: db.url });
    try {
      const batch = [event(), event()];
      const first = await store.append('idem-any', batch, { expectedRevision: 'any' });
      expect(await store.append('idem-any', batch, { expectedRevision: 'any' })).toEqual(first);
      expect(await store.append('idem-any', batch, { expectedRevision: 'stream_exists' })).toEqual(first);
      expect(await store.readStream('idem-any')).toHaveLength(2);
      await expect(store.append('idem-other', [batch[0]!])).rejects.toThrow(/events_event_id/);
      const parallel = [event()];
      const results = await Promise.all(Array.from({ length: 6 }, () => store.append('idem-race', parallel)));
      expect(
        new Set(results.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)))).size,
      ).toBe(1);
      expect(await store.readStream('idem-race')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('ends open subscriptions when the store closes', async () => {
    const store = createPostgresEventStore({ connectionString: db.url, pollIntervalMs: 60_000 });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const item of store.subscribe({ streamPrefixes: ['closing-'] })) seen.push(item.kind);
    })();
    await waitFor(() => seen.includes('caught-up'));
    await store.close();
    await expect(loop).resolves.toBeUndefined();
  });

  it('applies migrations once, also when run concurrently', async () => {
    const fresh = await freshDatabase({ name: 'pg-store-migrate' });
    try {
      const runs = await Promise.all([
        migrateEventStore(fresh.url),
        migrateEventStore(fresh.url),
        migrateEventStore(fresh.pool),
      ]);
      expect(runs.flat()).toEqual(['2026-11-25-create-event-store', '2026-11-30-append-batch']);
      expect(await migrateEventStore(fresh.url)).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
