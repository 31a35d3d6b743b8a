// Server checkpoints the adapter must not pass on as they are (finding 1 of issue 12): on a fresh
// install, a filtered subscription from the start whose history matches nothing goes live with a
// checkpoint at the end of the log (24.10.0–24.10.4) or at the next, not yet written event
// (22.10.0–22.10.3, 25.0). Every checkpoint the port yields must be at or before the log's head.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventToAppend } from '../port';
import { startEsdbEmulator, type EsdbEmulator } from '../testing/esdb-emulator';
import { createEsdbEventStore } from './esdb-event-store';
import { probeSubscription } from './subscription-probe';

const emulators: EsdbEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

const noise = (count: number): EventToAppend[] =>
  Array.from({ length: count }, () => ({ id: randomUUID(), type: 'Noise', data: {} }));

describe.each(['24.10.2', '22.10.1', '25.0.0'])('go-live checkpoints of a fresh EventStoreDB %s', (serverVersion) => {
  it('are never beyond the last event in the log, and never the end-of-log sentinel', async () => {
    const emulator = await startEsdbEmulator({ serverVersion });
    emulators.push(emulator);
    const store = createEsdbEventStore({ connectionString: emulator.connectionString });
    try {
      await store.append('noise-1', noise(40), { expectedRevision: 'no_stream' });
      const head = await store.headPosition();
      const probe = probeSubscription(store, { streamPrefixes: ['recon-'] });
      try {
        await probe.waitFor((items) => items.some((i) => i.kind === 'caught-up'));
        const appended = await store.append('recon-1', [{ id: randomUUID(), type: 'First', data: {} }], {
          expectedRevision: 'no_stream',
        });
        await probe.waitFor((items) => items.some((i) => i.kind === 'event'));
        if (!appended.ok) throw new Error('append failed');
        for (const item of probe.items) {
          if (item.kind === 'event') continue;
          expect(item.position.startsWith('ffffffffffffffff')).toBe(false);
          expect(store.comparePositions(item.position, head)).toBeLessThanOrEqual(0);
        }
        expect(probe.items.flatMap((i) => (i.kind === 'event' ? [i.event.position] : []))).toEqual([appended.position]);
      } finally {
        await probe.stop();
      }
    } finally {
      await store.close();
    }
  });
});
