/** Contract cases: catch-up then live subscriptions, prefix filters, checkpoints, resuming. */
import { waitFor } from '@recon/testkit';
import { describe, expect, it } from 'vitest';
import type { Position, SubscriptionItem } from '../../port';
import { collect, lastCheckpoint, newEvent, newEvents, uniqueName, type ContractContext } from './contract-helpers';

const eventIdsOf = (items: readonly SubscriptionItem[]): string[] =>
  items.flatMap((item) => (item.kind === 'event' ? [item.event.id] : []));

export function subscribeCases(ctx: ContractContext): void {
  describe('subscribe', () => {
    it('replays from the start, signals caught-up once, then delivers live events', async () => {
      const store = ctx.store();
      const prefix = uniqueName('sub-') + '-';
      const past = newEvents(3);
      await store.append(`${prefix}one`, past.slice(0, 2));
      await store.append(`${prefix}two`, past.slice(2));
      const sub = collect(store, { streamPrefixes: [prefix] });
      try {
        await sub.until(
          (items) => items.some((i) => i.kind === 'caught-up') && eventIdsOf(items).length >= 3,
          'catch-up',
        );
        const caughtUpAt = sub.items.findIndex((i) => i.kind === 'caught-up');
        expect(eventIdsOf(sub.items.slice(0, caughtUpAt))).toEqual(past.map((e) => e.id));
        const live = [newEvent(), newEvent()];
        await store.append(`${prefix}one`, [live[0]!]);
        await store.append(`${prefix}three`, [live[1]!]);
        await sub.until((items) => eventIdsOf(items).length >= 5, 'live events');
        expect(sub.eventIds()).toEqual([...past, ...live].map((e) => e.id));
        expect(sub.items.filter((i) => i.kind === 'caught-up')).toHaveLength(1);
        const positions = sub.events().map((i) => (i.kind === 'event' ? i.event.position : ('' as Position)));
        for (let i = 1; i < positions.length; i += 1) {
          expect(store.comparePositions(positions[i - 1]!, positions[i]!)).toBeLessThan(0);
        }
      } finally {
        await sub.stop();
      }
    });

    it('delivers only streams with one of the given prefixes, in global order', async () => {
      const store = ctx.store();
      const base = uniqueName('filter-');
      const wanted: string[] = [];
      for (const name of ['a', 'b', 'c', 'a', 'b', 'c']) {
        const event = newEvent();
        await store.append(`${base}-${name}-stream`, [event]);
        if (name !== 'b') wanted.push(event.id);
      }
      await store.append(`x${base}-a-stream`, [newEvent()]); // contains the prefix, but does not start with it
      const sub = collect(store, { streamPrefixes: [`${base}-a`, `${base}-c`] });
      try {
        await sub.until(
          (items) => items.some((i) => i.kind === 'caught-up') && eventIdsOf(items).length >= 4,
          'filtered catch-up',
        );
        expect(sub.eventIds()).toEqual(wanted);
      } finally {
        await sub.stop();
      }
    });

    it('an empty prefix list delivers nothing, and still catches up', async () => {
      const store = ctx.store();
      await store.append(uniqueName('empty-prefixes-'), [newEvent()]);
      const sub = collect(store, { streamPrefixes: [] });
      try {
        await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
        await store.append(uniqueName('empty-prefixes-'), [newEvent()]);
        expect(sub.eventIds()).toEqual([]);
      } finally {
        await sub.stop();
      }
    });

    it('matches prefixes literally (no wildcards)', async () => {
      const store = ctx.store();
      const base = uniqueName('literal-');
      const wanted = newEvent();
      await store.append(`${base}X%1`, [newEvent()]);
      await store.append(`${base}_%1`, [wanted]);
      const sub = collect(store, { streamPrefixes: [`${base}_%`] });
      try {
        await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
        expect(sub.eventIds()).toEqual([wanted.id]);
      } finally {
        await sub.stop();
      }
    });

    it('emits checkpoints that move past filtered-out events', async () => {
      const store = ctx.store();
      const prefix = uniqueName('quiet-');
      const sub = collect(store, { streamPrefixes: [prefix] });
      try {
        await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up');
        const before = lastCheckpoint(sub.items) ?? sub.items.find((i) => i.kind === 'caught-up')!.position;
        const noise = uniqueName('noise-');
        for (let i = 0; i < 4; i += 1) await store.append(noise, newEvents(25));
        await sub.until((items) => {
          const latest = lastCheckpoint(items);
          return latest !== undefined && store.comparePositions(latest, before) > 0;
        }, 'a checkpoint past the filtered-out events');
        expect(sub.eventIds()).toEqual([]);
      } finally {
        await sub.stop();
      }
    });

    it('resumes from a saved position in a new store instance with nothing lost or repeated', async () => {
      const prefix = uniqueName('resume-') + '-';
      const first = await ctx.factory();
      const all = newEvents(6);
      let saved: Position | undefined;
      try {
        await first.store.append(`${prefix}s`, all.slice(0, 3));
        const sub = collect(first.store, { streamPrefixes: [prefix] });
        await sub.until((items) => eventIdsOf(items).length >= 3, 'first three events');
        await sub.stop();
        // Save like a projection does: the last event handled, or a later checkpoint.
        for (const item of sub.items) {
          if (item.kind === 'event') saved = item.event.position;
          if (
            item.kind === 'checkpoint' &&
            (saved === undefined || first.store.comparePositions(item.position, saved) > 0)
          )
            saved = item.position;
        }
        expect(eventIdsOf(sub.items)).toEqual(all.slice(0, 3).map((e) => e.id));
        await first.store.append(`${prefix}s`, all.slice(3, 5)); // written while "down"
      } finally {
        await first.teardown();
      }
      const second = await ctx.factory();
      try {
        if (saved === undefined) throw new Error('nothing saved');
        const sub = collect(second.store, { from: saved, streamPrefixes: [prefix] });
        await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up after restart');
        await second.store.append(`${prefix}t`, all.slice(5));
        await sub.until((items) => eventIdsOf(items).length >= 3, 'the rest');
        await sub.stop();
        expect(sub.eventIds()).toEqual(all.slice(3).map((e) => e.id));
      } finally {
        await second.teardown();
      }
    });

    it('ends cleanly when aborted', async () => {
      const store = ctx.store();
      const controller = new AbortController();
      const seen: SubscriptionItem[] = [];
      const loop = (async () => {
        for await (const item of store.subscribe({
          streamPrefixes: [uniqueName('abort-')],
          signal: controller.signal,
        })) {
          seen.push(item);
        }
      })();
      await waitFor(() => seen.some((i) => i.kind === 'caught-up'), { timeoutMs: 10_000 });
      controller.abort();
      await expect(loop).resolves.toBeUndefined();
    });
  });
}
