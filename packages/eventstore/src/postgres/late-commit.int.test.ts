/**
 * The reason for the transaction-id fence: a transaction that takes sequence position 1 can commit
 * after one that took position 2. A reader ordering by position alone would pass 2, checkpoint it,
 * and never see 1. This holds one append open while another commits and checks nothing is skipped.
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type Position } from '../port';
import { collect } from '../testing/contract/contract-helpers';
import { migrateEventStore } from './migrate-event-store';
import { createPostgresEventStore } from './postgres-event-store';
import { decodePosition, encodePosition } from './postgres-position';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase({ name: 'late-commit', migrate: migrateEventStore, templateKey: 'eventstore' });
});
afterAll(async () => {
  await db.drop();
});

describe('PostgreSQL event store: late commits', () => {
  it('never skips an event whose transaction commits after a later position', async () => {
    const store = createPostgresEventStore({ connectionString: db.url, pollIntervalMs: 200 });
    const sub = collect(store, { streamPrefixes: ['late-'] });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
      const early = randomUUID();
      await holder.query('BEGIN');
      const { rows } = await holder.query<{ out_transaction_id: string; out_position: string }>(
        `SELECT * FROM eventstore.append_events('late-a', 'any', NULL, $1::uuid[], '{Late}', '{"{}"}', '{"{}"}')`,
        [[early]],
      );
      const earlyPosition = encodePosition(rows[0]!.out_transaction_id, rows[0]!.out_position);

      const later = await store.append('late-b', [{ id: randomUUID(), type: 'OnTime', data: {} }]);
      if (!later.ok) throw new Error('append failed');
      // The committed event took a later sequence number than the open one...
      expect(decodePosition(later.position).position).toBeGreaterThan(decodePosition(earlyPosition).position);
      // ...so a reader going by sequence alone would already see it and move past the open one.
      const naive = await db.pool.query<{ max: string }>('SELECT max(position)::text AS max FROM eventstore.events');
      expect(BigInt(naive.rows[0]!.max)).toBe(decodePosition(later.position).position);

      // The fence hides it until the older transaction ends; nothing (not even the head) passes it.
      const page = await store.readAll(START, 100);
      expect(page.events.map((e) => e.streamName)).not.toContain('late-b');
      const head: Position = await store.headPosition();
      expect(store.comparePositions(head, earlyPosition)).toBeLessThan(0);
      // The last committed event is already the later one: a read-your-writes wait aims there, not at the head.
      expect(store.comparePositions(await store.lastCommittedPosition(), later.position)).toBe(0);

      await holder.query('COMMIT');
      await sub.until((items) => items.filter((i) => i.kind === 'event').length >= 2, 'both events');
      expect(sub.events().map((i) => (i.kind === 'event' ? i.event.streamName : ''))).toEqual(['late-a', 'late-b']);
      // No checkpoint before the late event ever passed it.
      const lateIndex = sub.items.findIndex((i) => i.kind === 'event' && i.event.id === early);
      for (const item of sub.items.slice(0, lateIndex)) {
        if (item.kind === 'checkpoint') expect(store.comparePositions(item.position, earlyPosition)).toBeLessThan(0);
      }
      // A reader that saved the head while the transaction was open still finds the late event.
      const resumed = await waitFor(async () => {
        const events = (await store.readAll(head, 100)).events;
        return events.length >= 2 ? events : false;
      });
      expect(resumed.map((e) => e.id)).toContain(early);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await sub.stop();
      await store.close();
    }
  });
});
