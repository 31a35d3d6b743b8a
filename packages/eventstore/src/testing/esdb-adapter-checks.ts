/**
 * EventStoreDB-specific checks of the adapter (beyond the shared contract suite): idempotent
 * retries resolved by reading the stream tail, system streams hidden, server checkpoints and the
 * caught-up signal. Run against the emulator always and a real EventStoreDB when configured.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, type EventStore, type EventToAppend, type SubscriptionItem } from '../port';
import { probeSubscription } from '../esdb/subscription-probe';

const event = (type = 'Tested', data: Record<string, unknown> = { n: 1 }): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { by: 'test' },
});
const events = (items: readonly SubscriptionItem[]) => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

export function describeEsdbAdapterChecks(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStoreDB adapter checks: ${name}`, () => {
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    it('appends with exact revisions and reports conflicts with the current revision', async () => {
      const stream = `check${run}-a`;
      const first = await store.append(stream, [event(), event()], { expectedRevision: 'no_stream' });
      expect(first).toMatchObject({ ok: true, nextExpectedRevision: 1n });
      const conflict = await store.append(stream, [event()], { expectedRevision: 0n });
      expect(conflict).toEqual({
        ok: false,
        code: 'WRONG_EXPECTED_VERSION',
        streamName: stream,
        expected: 0n,
        current: 1n,
      });
      const missing = await store.append(`check${run}-missing`, [event()], { expectedRevision: 'stream_exists' });
      expect(missing).toMatchObject({ ok: false, current: null });
      const read = await store.readStream(stream);
      expect(read.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(read[0]).toMatchObject({ streamName: stream, type: 'Tested', data: { n: 1 }, metadata: { by: 'test' } });
    });

    it('treats a retry of events already stored at that place as success, even after the stream moved on', async () => {
      const stream = `check${run}-b`;
      const batch = [event(), event()];
      const first = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      await store.append(stream, [event()], { expectedRevision: 1n });
      const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });
      expect(retry).toEqual(first);
      const different = await store.append(stream, [event(), event()], { expectedRevision: 'no_stream' });
      expect(different).toMatchObject({ ok: false, current: 2n });
      expect(await store.readStream(stream)).toHaveLength(3);
    });

    it('reads $all strictly after a position, without system streams, and heads at the last event', async () => {
      const stream = `check${run}-c`;
      const before = await store.headPosition();
      const appended = await store.append(stream, [event(), event(), event()], { expectedRevision: 'no_stream' });
      if (!appended.ok) throw new Error('append failed');
      expect(await store.headPosition()).toBe(appended.position);
      let from = before;
      const seen = [];
      for (;;) {
        const page = await store.readAll(from, 2);
        if (page.events.length === 0) break;
        seen.push(...page.events);
        from = page.next;
      }
      expect(seen.some((e) => e.streamName.startsWith('$'))).toBe(false);
      const positions = seen.map((e) => e.position);
      expect([...positions].sort(store.comparePositions)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      expect(seen.filter((e) => e.streamName === stream).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      const tail = await store.readAll(appended.position, 10);
      expect(tail).toEqual({ events: [], next: appended.position });
    });

    it('subscribes with a prefix filter: history, caught-up, live events and checkpoints in order', async () => {
      const prefix = `sub${run}-`;
      const a = await store.append(`${prefix}1`, [event()], { expectedRevision: 'no_stream' });
      await store.append(
        `other${run}-1`,
        Array.from({ length: 40 }, () => event()),
        { expectedRevision: 'no_stream' },
      );
      const probe = probeSubscription(store, { streamPrefixes: [prefix] });
      try {
        await probe.waitFor((items) => items.some((i) => i.kind === 'caught-up'));
        const live = await store.append(`${prefix}2`, [event('Live')], { expectedRevision: 'no_stream' });
        await probe.waitFor((items) => events(items).some((e) => e.type === 'Live'));
        const received = events(probe.items);
        expect(received.every((e) => e.streamName.startsWith(prefix))).toBe(true);
        expect(received.map((e) => e.streamName)).toEqual([`${prefix}1`, `${prefix}2`]);
        if (!a.ok || !live.ok) throw new Error('append failed');
        expect(received[1]?.position).toBe(live.position);
        // Every item's position is >= everything delivered before it: checkpoints never overtake events.
        let last = START;
        for (const item of probe.items) {
          const position = item.kind === 'event' ? item.event.position : item.position;
          expect(store.comparePositions(position, last)).toBeGreaterThanOrEqual(0);
          last = position;
        }
        expect(probe.items.filter((i) => i.kind === 'caught-up')).toHaveLength(1);
        expect(probe.items.some((i) => i.kind === 'checkpoint')).toBe(true);
      } finally {
        await probe.stop();
      }
    });
  });
}
