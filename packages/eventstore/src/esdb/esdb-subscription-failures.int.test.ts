// Subscription failures are no longer swallowed (issue 12, finding 4): every failure the adapter
// recovers from is reported through `onRetry` (code, cause, backoff), and one it cannot recover
// from — access denied, as a secure server answers a client without `$admins` credentials — ends
// the iterator with an EventStoreError that says what to configure. Also the 22.10/23.10 live
// buffer (finding 6): a consumer that falls 32 events behind is dropped; the adapter resubscribes
// with nothing lost or repeated.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EventStoreError } from '../event-store-error';
import type { EventToAppend, SubscriptionFailure, SubscriptionItem } from '../port';
import { startEsdbEmulator, type EsdbEmulator } from '../testing/esdb-emulator';
import { createEsdbEventStore } from './esdb-event-store';
import { probeSubscription } from './subscription-probe';

const emulators: EsdbEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

const newEvents = (count: number, type = 'Tested'): EventToAppend[] =>
  Array.from({ length: count }, () => ({ id: randomUUID(), type, data: {} }));
const eventIds = (items: readonly SubscriptionItem[]) => items.flatMap((i) => (i.kind === 'event' ? [i.event.id] : []));

describe.each(['24.10.2', '22.10.1'])('EventStoreDB %s: subscription failures', (serverVersion) => {
  it('access denied on $all ends the iterator with EVENT_STORE_ACCESS_DENIED naming the credentials to configure', async () => {
    const emulator = await startEsdbEmulator({ serverVersion, behaviour: { denyAllStreamReads: true } });
    emulators.push(emulator);
    const store = createEsdbEventStore({
      connectionString: emulator.connectionString,
      resubscribeBackoff: { initialMs: 10, maxMs: 50 },
    });
    const retries: SubscriptionFailure[] = [];
    try {
      const run = (async () => {
        for await (const item of store.subscribe({ streamPrefixes: ['x-'], onRetry: (f) => retries.push(f) }))
          void item;
      })();
      const error = await run.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({
        code: 'EVENT_STORE_ACCESS_DENIED',
        causeDescription: expect.stringContaining('AccessDeniedError'),
      });
      expect((error as Error).message).toMatch(/\$admins/);
      expect(retries).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a dropped subscription is reported through onRetry with a code, a cause and the backoff, then resumed', async () => {
    const emulator = await startEsdbEmulator({ serverVersion });
    emulators.push(emulator);
    const store = createEsdbEventStore({
      connectionString: emulator.connectionString,
      resubscribeBackoff: { initialMs: 10, maxMs: 50 },
    });
    const retries: SubscriptionFailure[] = [];
    const probe = probeSubscription(store, { streamPrefixes: ['drop-'], onRetry: (f) => retries.push(f) });
    try {
      const first = newEvents(1);
      await store.append('drop-1', first, { expectedRevision: 'no_stream' });
      await probe.waitFor((items) => items.some((i) => i.kind === 'caught-up') && eventIds(items).length === 1);
      expect(emulator.dropSubscriptions()).toBe(1);
      const second = newEvents(1);
      await store.append('drop-1', second, { expectedRevision: 0n });
      await probe.waitFor((items) => eventIds(items).length === 2);
      expect(eventIds(probe.items)).toEqual([...first, ...second].map((e) => e.id));
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatchObject({ code: 'EVENT_STORE_UNAVAILABLE', cause: expect.stringMatching(/Error/) });
      expect(retries[0]!.retryInMs).toBeGreaterThan(0);
    } finally {
      await probe.stop();
      await store.close();
    }
  });
});

describe('EventStoreDB 22.10 / 23.10 live buffer (maxLiveBuffer 32)', () => {
  it('a live burst of more than 32 events drops the subscription; the adapter resubscribes with nothing lost or repeated', async () => {
    const emulator = await startEsdbEmulator({ serverVersion: '23.10.0' });
    emulators.push(emulator);
    const store = createEsdbEventStore({
      connectionString: emulator.connectionString,
      resubscribeBackoff: { initialMs: 10, maxMs: 50 },
    });
    const retries: SubscriptionFailure[] = [];
    const probe = probeSubscription(store, { streamPrefixes: ['burst-'], onRetry: (f) => retries.push(f) });
    try {
      await probe.waitFor((items) => items.some((i) => i.kind === 'caught-up'));
      const burst = newEvents(40);
      await store.append('burst-1', burst, { expectedRevision: 'no_stream' });
      await probe.waitFor((items) => eventIds(items).length >= 40);
      expect(eventIds(probe.items)).toEqual(burst.map((e) => e.id));
      expect(retries.length).toBeGreaterThanOrEqual(1);
    } finally {
      await probe.stop();
      await store.close();
    }
  });
});
