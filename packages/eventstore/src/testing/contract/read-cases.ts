/** Contract cases: reading one stream and paging through the global log in order. */
import { waitFor } from '@recon/testkit';
import { describe, expect, it } from 'vitest';
import { START } from '../../port';
import { newEvent, newEvents, readAllOf, uniqueName, type ContractContext } from './contract-helpers';

export function readCases(ctx: ContractContext): void {
  describe('readStream', () => {
    it('returns a stream in revision order with every field', async () => {
      const store = ctx.store();
      const stream = uniqueName('read-');
      const event = newEvent('LeadRegistered', { leadId: 'lead-1', nested: { n: 1, list: [1, 'two'] } });
      const before = Date.now();
      const result = await store.append(stream, [event, ...newEvents(3)], { expectedRevision: 'no_stream' });
      if (!result.ok) throw new Error('append failed');
      const events = await store.readStream(stream);
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      const first = events[0];
      expect(first).toMatchObject({ id: event.id, type: 'LeadRegistered', streamName: stream, revision: 0n });
      expect(first?.data).toEqual(event.data);
      expect(first?.metadata).toEqual(event.metadata);
      expect(first?.recordedAt).toBeInstanceOf(Date);
      expect(Math.abs((first?.recordedAt.getTime() ?? 0) - before)).toBeLessThan(60_000);
      expect(events.at(-1)?.position).toBe(result.position);
      for (let i = 1; i < events.length; i += 1) {
        expect(store.comparePositions(events[i - 1]!.position, events[i]!.position)).toBeLessThan(0);
      }
    });

    it('honours fromRevision and maxCount, and is empty for a missing stream', async () => {
      const store = ctx.store();
      const stream = uniqueName('read-');
      await store.append(stream, newEvents(5), { expectedRevision: 'no_stream' });
      const slice = await store.readStream(stream, { fromRevision: 2n, maxCount: 2 });
      expect(slice.map((e) => e.revision)).toEqual([2n, 3n]);
      expect(await store.readStream(uniqueName('missing-'))).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('pages through every stream in append order', async () => {
      const store = ctx.store();
      const from = await store.headPosition();
      const streams = [uniqueName('all-a-'), uniqueName('all-b-'), uniqueName('all-c-')];
      const expected: string[] = [];
      for (let round = 0; round < 3; round += 1) {
        for (const stream of streams) {
          const events = newEvents(round + 1);
          expected.push(...events.map((e) => e.id));
          const result = await store.append(stream, events);
          expect(result.ok).toBe(true);
        }
      }
      const read = await readAllOf(store, from, new Set(streams), expected.length, 4);
      expect(read.ids).toEqual(expected);
      expect(read.pages).toBeGreaterThan(expected.length / 4);
      for (let i = 1; i < read.positions.length; i += 1) {
        expect(store.comparePositions(read.positions[i - 1]!, read.positions[i]!)).toBeLessThan(0);
      }
    });

    it('returns an empty page with the same position at the end of the log', async () => {
      const store = ctx.store();
      const stream = uniqueName('all-end-');
      const result = await store.append(stream, [newEvent()]);
      if (!result.ok) throw new Error('append failed');
      const read = await readAllOf(store, START, new Set([stream]), 1, 500);
      expect(read.ids.length).toBe(1);
      const end = await store.readAll(result.position, 10);
      expect(end.events.every((e) => store.comparePositions(e.position, result.position) > 0)).toBe(true);
    });

    it('reports a head position at or after the last append', async () => {
      const store = ctx.store();
      const result = await store.append(uniqueName('head-'), [newEvent()]);
      if (!result.ok) throw new Error('append failed');
      await waitFor(async () => store.comparePositions(await store.headPosition(), result.position) >= 0, {
        timeoutMs: 10_000,
        description: 'head to reach the last append',
      });
      expect(store.comparePositions(START, await store.headPosition())).toBeLessThan(0);
    });
  });
}
