/**
 * The PostgreSQL subscription outlives the database going away: while its reads fail it tells the
 * consumer (`onRetry`, with a code and back-off) instead of throwing, and when the database is
 * back it goes on from the last position it delivered — nothing skipped, nothing repeated.
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionFailure } from '../port';
import { collect } from '../testing/contract/contract-helpers';
import { migrateEventStore } from './migrate-event-store';
import { createPostgresEventStore } from './postgres-event-store';

let db: FreshDatabase;
let admin: pg.Client;
let name: string;
beforeAll(async () => {
  db = await freshDatabase({ name: 'pg-sub-reconnect', migrate: migrateEventStore, templateKey: 'eventstore' });
  const url = new URL(db.url);
  name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
});
afterAll(async () => {
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
  await admin.end();
  await db.drop();
});

const event = () => ({ id: randomUUID(), type: 'Thing', data: { at: 1 } });

describe('PostgreSQL subscription across an outage', () => {
  it('reports failed reads through onRetry, then resumes from its last position with nothing lost or repeated', async () => {
    const store = createPostgresEventStore({ connectionString: db.url, pollIntervalMs: 100 });
    const failures: SubscriptionFailure[] = [];
    const sub = collect(store, { streamPrefixes: ['outage-'], onRetry: (f) => failures.push(f) });
    try {
      await store.append('outage-1', [event(), event()]);
      await sub.until(
        (items) => sub.events().length === 2 && items.some((i) => i.kind === 'caught-up'),
        'two events, caught up',
      );
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await waitFor(() => failures.length >= 2, { timeoutMs: 10_000, description: 'failed reads reported' });
      expect(failures[0]).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE', cause: expect.stringMatching(/Error/) });
      expect(failures.every((f) => f.retryInMs > 0 && f.retryInMs <= 30_000)).toBe(true);
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await waitFor(async () => (await store.append('outage-1', [event()], { expectedRevision: 1n })).ok, {
        timeoutMs: 10_000,
        intervalMs: 200,
        description: 'append after the outage',
      });
      await store.append('outage-2', [event()]);
      await sub.until(() => sub.events().length === 4, 'the two events appended after the outage');
      const ids = sub.eventIds();
      expect(new Set(ids).size).toBe(ids.length);
      const all = await store.readAll('start' as never, 100);
      expect(ids).toEqual(all.events.map((e) => e.id));
    } finally {
      await sub.stop();
      await store.close();
    }
  });
});
