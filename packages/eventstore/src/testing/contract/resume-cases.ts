/**
 * Contract case: every position a subscription hands out (an event's, a checkpoint's, the
 * caught-up one) is safe to save. A consumer that restarts from it gets exactly the events the
 * original subscription delivered after it, plus anything written later: nothing missed, nothing
 * applied twice. Built for the server behaviours that broke this on EventStoreDB (a go-live
 * checkpoint at the end of the log or at the next undelivered event; resume skipping the first
 * event at or after the start position), which the emulator reproduces per version.
 */
import { describe, expect, it } from 'vitest';
import type { Position, SubscriptionItem } from '../../port';
import { collect, newEvent, newEvents, uniqueName, type ContractContext } from './contract-helpers';

const eventIdsOf = (items: readonly SubscriptionItem[]): string[] =>
  items.flatMap((item) => (item.kind === 'event' ? [item.event.id] : []));

const positionOf = (item: SubscriptionItem): Position => (item.kind === 'event' ? item.event.position : item.position);

export function resumeCases(ctx: ContractContext): void {
  describe('subscribe: recorded positions', () => {
    it('a restart from any position it handed out misses no event and applies none twice', async () => {
      const store = ctx.store();
      const prefix = `${uniqueName('recorded-')}-`;
      const noise = uniqueName('noise-');
      // More history than one server search window (32) that matches nothing: a fresh install.
      await store.append(noise, newEvents(40));
      const sub = collect(store, { streamPrefixes: [prefix] });
      const wanted: string[] = [];
      try {
        await sub.until((items) => items.some((i) => i.kind === 'caught-up'), 'caught-up over unmatched history');
        for (let round = 0; round < 3; round += 1) {
          const event = newEvent('Wanted', { round });
          wanted.push(event.id);
          await store.append(`${prefix}s`, [event]);
          await sub.until((items) => eventIdsOf(items).length > round, `live event ${round}`);
          await store.append(noise, newEvents(40));
        }
        const settled = sub.items.length;
        await store.append(`${prefix}s`, [newEvent('Marker')]);
        await sub.until((items) => eventIdsOf(items.slice(settled)).length === 1, 'the marker after the noise');
      } finally {
        await sub.stop();
      }
      const items = [...sub.items];
      const delivered = eventIdsOf(items);
      expect(delivered.slice(0, 3)).toEqual(wanted);
      // Positions worth a restart: everything from just before going live on (earlier ones only
      // cover unmatched history).
      const caughtUpAt = items.findIndex((i) => i.kind === 'caught-up');
      const late = newEvent('WrittenWhileDown');
      await store.append(`${prefix}s`, [late]);
      for (let index = Math.max(0, caughtUpAt - 2); index < items.length; index += 1) {
        const from = positionOf(items[index]!);
        const expected = [...eventIdsOf(items.slice(index + 1)), late.id];
        const restarted = await ctx.factory();
        try {
          const resumed = collect(restarted.store, { from, streamPrefixes: [prefix] });
          try {
            await resumed.until(
              (got) => got.some((i) => i.kind === 'caught-up') && eventIdsOf(got).length >= expected.length,
              `restart from item ${index} (${items[index]!.kind}) to deliver ${expected.length} events`,
            );
          } finally {
            await resumed.stop();
          }
          expect({ index, kind: items[index]!.kind, ids: resumed.eventIds() }).toEqual({
            index,
            kind: items[index]!.kind,
            ids: expected,
          });
        } finally {
          await restarted.teardown();
        }
      }
    });
  });
}
