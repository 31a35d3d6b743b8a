/**
 * The group commit of the PostgreSQL adapter: appends that arrive together share one statement
 * and one commit, and each caller still gets exactly the outcome its append has alone — its own
 * expected-revision check, its own idempotent retry — also when one append of the batch fails.
 */
import { randomUUID } from 'node:crypto';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventStore } from '../port';
import { migrateEventStore } from './migrate-event-store';
import { createPostgresEventStore } from './postgres-event-store';

let db: FreshDatabase;
let pool: pg.Pool;
let store: EventStore;
let statements: string[];

beforeAll(async () => {
  db = await freshDatabase({ name: 'pg-group-commit', migrate: migrateEventStore, templateKey: 'eventstore' });
});
afterAll(async () => {
  await db.drop();
});
beforeEach(() => {
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
  store = createPostgresEventStore({ pool });
  statements = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  vi.spyOn(pool, 'query').mockImplementation(((...args: unknown[]) => {
    if (typeof args[0] === 'string') statements.push(args[0]);
    return query(...args);
  }) as typeof pool.query);
});
afterEach(async () => {
  await store.close();
  await pool.end();
});

const event = (id: string = randomUUID()) => ({ id, type: 'Thing', data: { at: 1 }, metadata: { m: 1 } });
const stream = (label: string) => `gc-${label}-${randomUUID().slice(0, 8)}`;
const batches = () => statements.filter((s) => s.includes('append_batch')).length;
const appendStatements = () => statements.filter((s) => s.includes('append_batch') || s.includes('append_events'));

describe('group commit (PostgreSQL)', () => {
  it('coalesces concurrent appends into one statement; each caller gets its own outcome', async () => {
    const existing = stream('existing');
    await store.append(existing, [event(), event()], { expectedRevision: 'no_stream' }); // revision 1
    statements = [];
    const fresh = Array.from({ length: 5 }, (_, i) => stream(`fresh${i}`));
    const contested = stream('contested');
    const results = await Promise.all([
      ...fresh.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })),
      store.append(contested, [event()], { expectedRevision: 'no_stream' }),
      store.append(contested, [event()], { expectedRevision: 'no_stream' }),
      store.append(existing, [event()], { expectedRevision: 0n }), // stale
      store.append(existing, [event(), event()], { expectedRevision: 1n }),
      store.append(existing, [event()], { expectedRevision: 'stream_exists' }),
      store.append(stream('missing'), [event()], { expectedRevision: 'stream_exists' }),
    ]);
    expect(batches()).toBe(1);
    expect(appendStatements()).toHaveLength(1);
    for (const r of results.slice(0, 5)) expect(r).toMatchObject({ ok: true, nextExpectedRevision: 0n });
    expect(results[5]).toMatchObject({ ok: true, nextExpectedRevision: 0n });
    expect(results[6]).toEqual({
      ok: false,
      code: 'WRONG_EXPECTED_VERSION',
      streamName: contested,
      expected: 'no_stream',
      current: 0n,
    });
    expect(results[7]).toMatchObject({ ok: false, code: 'WRONG_EXPECTED_VERSION', expected: 0n, current: 1n });
    expect(results[8]).toMatchObject({ ok: true, nextExpectedRevision: 3n });
    expect(results[9]).toMatchObject({ ok: true, nextExpectedRevision: 4n });
    expect(results[10]).toMatchObject({ ok: false, code: 'WRONG_EXPECTED_VERSION', current: null });
    // One transaction: every event of the batch shares it, positions are distinct and increasing per stream.
    const positions = results.flatMap((r) => (r.ok ? [r.position] : []));
    expect(new Set(positions).size).toBe(positions.length);
    expect(await store.readStream(existing)).toHaveLength(5);
    expect(await store.readStream(contested)).toHaveLength(1);
  });

  it('recognises a retried append inside a batch, as it does alone', async () => {
    const s = stream('retry');
    const ids = [randomUUID(), randomUUID()];
    const alone = await store.append(s, ids.map(event), { expectedRevision: 'no_stream' });
    statements = [];
    const other = stream('other');
    const [again, twice1, twice2, anyRetry] = await Promise.all([
      store.append(s, ids.map(event), { expectedRevision: 'no_stream' }),
      store.append(other, [event(ids[0]!.replace(/^.{8}/, 'aaaaaaaa'))], { expectedRevision: 'no_stream' }),
      store.append(other, [event(ids[0]!.replace(/^.{8}/, 'aaaaaaaa'))], { expectedRevision: 'no_stream' }),
      store.append(s, ids.map(event), { expectedRevision: 'any' }),
    ]);
    expect(batches()).toBe(1);
    expect(again).toEqual(alone);
    expect(anyRetry).toEqual(alone);
    expect(twice2).toEqual(twice1);
    expect(await store.readStream(s)).toHaveLength(2);
    expect(await store.readStream(other)).toHaveLength(1);
  });

  it('a failure mid-batch fails only its own caller; the others are stored once', async () => {
    const owner = stream('owner');
    const taken = randomUUID();
    await store.append(owner, [event(taken)]);
    statements = [];
    const before = stream('before');
    const after = stream('after');
    const thief = stream('thief');
    const outcomes = await Promise.allSettled([
      store.append(before, [event()], { expectedRevision: 'no_stream' }),
      // The same event id in another stream: an exception inside the batch statement.
      store.append(thief, [event(taken)], { expectedRevision: 'any' }),
      store.append(after, [event(), event()], { expectedRevision: 'no_stream' }),
      store.append(owner, [event()], { expectedRevision: 5n }),
    ]);
    expect(batches()).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { ok: true, nextExpectedRevision: 0n } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/events_event_id/);
    expect(outcomes[2]).toMatchObject({ status: 'fulfilled', value: { ok: true, nextExpectedRevision: 1n } });
    expect(outcomes[3]).toMatchObject({ status: 'fulfilled', value: { ok: false, current: 0n } });
    expect(await store.readStream(before)).toHaveLength(1);
    expect(await store.readStream(after)).toHaveLength(2);
    expect(await store.readStream(thief)).toHaveLength(0);
    expect(await store.readStream(owner)).toHaveLength(1);
  });

  it('gives every caller of a batch the error when the database is unavailable', async () => {
    const ours = stream('down');
    const query = pool.query as unknown as ReturnType<typeof vi.fn>;
    query.mockImplementation((() =>
      Promise.reject(
        Object.assign(new Error('terminating connection due to administrator command'), {
          code: '57P01',
          severity: 'FATAL',
        }),
      )) as never);
    const outcomes = await Promise.allSettled([
      store.append(`${ours}-a`, [event()]),
      store.append(`${ours}-b`, [event()]),
    ]);
    for (const o of outcomes) expect(o).toMatchObject({ status: 'rejected', reason: { code: '57P01' } });
    query.mockRestore();
    expect(await store.readStream(`${ours}-a`)).toHaveLength(0);
  });

  it('a lone append goes alone, through the single-append function', async () => {
    await store.append(stream('alone'), [event()]);
    expect(appendStatements()).toEqual([expect.stringContaining('append_events')]);
  });
});
