/** Contract cases: racing appends to one stream never lose, duplicate or interleave revisions. */
import { describe, expect, it } from 'vitest';
import { newEvent, newEvents, uniqueName, type ContractContext } from './contract-helpers';

const WRITERS = 8;

export function concurrencyCases(ctx: ContractContext): void {
  describe('concurrency', () => {
    it('parallel appends at the same expected revision: exactly one wins each round', async () => {
      const store = ctx.store();
      const stream = uniqueName('race-');
      const created = await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
      expect(created.ok).toBe(true);
      for (let revision = 0n; revision < 3n; revision += 1n) {
        const results = await Promise.all(
          Array.from({ length: WRITERS }, () =>
            store.append(stream, newEvents(2), { expectedRevision: revision * 2n }),
          ),
        );
        const winners = results.filter((r) => r.ok);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toMatchObject({ nextExpectedRevision: revision * 2n + 2n });
        for (const loser of results.filter((r) => !r.ok)) {
          expect(loser).toMatchObject({ code: 'WRONG_EXPECTED_VERSION', current: revision * 2n + 2n });
        }
      }
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n]);
    });

    it('parallel no_stream appends: exactly one creates the stream', async () => {
      const store = ctx.store();
      const stream = uniqueName('race-new-');
      const results = await Promise.all(
        Array.from({ length: WRITERS }, () => store.append(stream, [newEvent()], { expectedRevision: 'no_stream' })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.current === 0n)).toBe(true);
    });

    it('parallel appends with any: all succeed with contiguous revisions', async () => {
      const store = ctx.store();
      const stream = uniqueName('race-any-');
      const batches = Array.from({ length: WRITERS }, () => newEvents(3));
      const results = await Promise.all(
        batches.map((events) => store.append(stream, events, { expectedRevision: 'any' })),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const stored = await store.readStream(stream);
      expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: WRITERS * 3 }, (_, i) => BigInt(i)));
      // Each batch stays contiguous and in order.
      for (const events of batches) {
        const at = stored.findIndex((e) => e.id === events[0]!.id);
        expect(stored.slice(at, at + 3).map((e) => e.id)).toEqual(events.map((e) => e.id));
      }
    });
  });
}
