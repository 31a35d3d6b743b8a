/** Contract cases: appends with every expected-revision kind, failures and idempotent retries. */
import { describe, expect, it } from 'vitest';
import type { AppendResult } from '../../port';
import { newEvent, newEvents, uniqueName, type ContractContext } from './contract-helpers';

function okRevision(result: AppendResult): bigint {
  if (!result.ok) throw new Error(`expected a successful append, got ${result.code} (current ${result.current})`);
  return result.nextExpectedRevision;
}

export function appendCases(ctx: ContractContext): void {
  describe('append', () => {
    it('no_stream creates a stream once, then reports the current revision', async () => {
      const stream = uniqueName('append-');
      expect(okRevision(await ctx.store().append(stream, newEvents(3), { expectedRevision: 'no_stream' }))).toBe(2n);
      const again = await ctx.store().append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(again).toMatchObject({
        ok: false,
        code: 'WRONG_EXPECTED_VERSION',
        streamName: stream,
        expected: 'no_stream',
        current: 2n,
      });
    });

    it('an exact revision succeeds only when it is the current one', async () => {
      const stream = uniqueName('append-');
      const missing = await ctx.store().append(stream, [newEvent()], { expectedRevision: 0n });
      expect(missing).toMatchObject({ ok: false, code: 'WRONG_EXPECTED_VERSION', current: null });
      okRevision(await ctx.store().append(stream, newEvents(2), { expectedRevision: 'no_stream' }));
      expect(okRevision(await ctx.store().append(stream, [newEvent()], { expectedRevision: 1n }))).toBe(2n);
      const stale = await ctx.store().append(stream, [newEvent()], { expectedRevision: 1n });
      expect(stale).toMatchObject({ ok: false, code: 'WRONG_EXPECTED_VERSION', expected: 1n, current: 2n });
      const ahead = await ctx.store().append(stream, [newEvent()], { expectedRevision: 7n });
      expect(ahead).toMatchObject({ ok: false, current: 2n });
      expect((await ctx.store().readStream(stream)).length).toBe(3);
    });

    it('stream_exists fails on a missing stream and appends to an existing one', async () => {
      const stream = uniqueName('append-');
      const missing = await ctx.store().append(stream, [newEvent()], { expectedRevision: 'stream_exists' });
      expect(missing).toMatchObject({
        ok: false,
        code: 'WRONG_EXPECTED_VERSION',
        expected: 'stream_exists',
        current: null,
      });
      okRevision(await ctx.store().append(stream, [newEvent()], { expectedRevision: 'no_stream' }));
      expect(okRevision(await ctx.store().append(stream, newEvents(2), { expectedRevision: 'stream_exists' }))).toBe(
        2n,
      );
    });

    it('any appends whether or not the stream exists (and is the default)', async () => {
      const stream = uniqueName('append-');
      expect(okRevision(await ctx.store().append(stream, [newEvent()], { expectedRevision: 'any' }))).toBe(0n);
      expect(okRevision(await ctx.store().append(stream, newEvents(2)))).toBe(2n);
    });

    it('returns increasing global positions', async () => {
      const store = ctx.store();
      const first = await store.append(uniqueName('append-'), [newEvent()]);
      const second = await store.append(uniqueName('append-'), [newEvent()]);
      if (!first.ok || !second.ok) throw new Error('appends failed');
      expect(store.comparePositions(first.position, second.position)).toBeLessThan(0);
      expect(store.comparePositions(second.position, first.position)).toBeGreaterThan(0);
      expect(store.comparePositions(first.position, first.position)).toBe(0);
    });

    it('a retried append of the same ids at the same place is an idempotent success', async () => {
      const store = ctx.store();
      const stream = uniqueName('append-');
      const batch = newEvents(2);
      const original = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      expect(await store.append(stream, batch, { expectedRevision: 'no_stream' })).toEqual(original);
      const third = [newEvent()];
      const appended = await store.append(stream, third, { expectedRevision: 1n });
      expect(okRevision(appended)).toBe(2n);
      expect(await store.append(stream, third, { expectedRevision: 1n })).toEqual(appended);
      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.id)).toEqual([...batch, ...third].map((e) => e.id));
    });

    it('an append over 1 MiB is EVENT_STORE_APPEND_TOO_LARGE (never UNAVAILABLE) and stores nothing', async () => {
      const store = ctx.store();
      const stream = uniqueName('append-large-');
      const big = newEvent('Large', { blob: 'x'.repeat(1024 * 1024 + 16) });
      await expect(store.append(stream, [big], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        code: 'EVENT_STORE_APPEND_TOO_LARGE',
      });
      expect(await store.readStream(stream)).toEqual([]);
      expect(okRevision(await store.append(stream, newEvents(2, 'Small'), { expectedRevision: 'no_stream' }))).toBe(1n);
    });

    it('new ids at a stale revision are still a conflict, not a duplicate', async () => {
      const store = ctx.store();
      const stream = uniqueName('append-');
      okRevision(await store.append(stream, newEvents(2), { expectedRevision: 'no_stream' }));
      const conflict = await store.append(stream, [newEvent()], { expectedRevision: 0n });
      expect(conflict).toMatchObject({ ok: false, current: 1n });
    });
  });
}
