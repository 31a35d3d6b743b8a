// The EventStoreDB adapter runs the shared event-store contract suite, plus EventStoreDB-specific
// checks, against (a) the test-only protocol emulator, always, in one mode per known server
// behaviour (server-behaviour.ts: go-live checkpoints, resume semantics, CaughtUp, BatchAppend or
// plain Append), and (b) a real EventStoreDB when EVENTSTORE_URL is set (see
// docs/eventstoredb.md). Plus resubscription after the server drops a subscription.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, SubscriptionItem } from '../port';
import { describeEventStoreContract, type StoreFactory } from '../testing/event-store-contract';
import { startEsdbEmulator, type EsdbEmulator, type EsdbEmulatorOptions } from '../testing/esdb-emulator';
import { describeEsdbAdapterChecks } from '../testing/esdb-adapter-checks';
import { createEsdbEventStore } from './esdb-event-store';
import { probeSubscription } from './subscription-probe';

const emulators: EsdbEmulator[] = [];
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.stop()));
});

async function emulatedStore(serverVersion?: string): Promise<EventStore> {
  const emulator = await startEsdbEmulator(serverVersion === undefined ? {} : { serverVersion });
  emulators.push(emulator);
  return createEsdbEventStore({ connectionString: emulator.connectionString });
}

/** Every call opens a new adapter over the same server (the suite's "restart"). */
function storeFactory(connectionString: () => Promise<string>): StoreFactory {
  return async () => {
    const store = createEsdbEventStore({ connectionString: await connectionString() });
    return { store, teardown: () => store.close() };
  };
}

function sharedEmulator(
  serverVersion: string,
  behaviour: EsdbEmulatorOptions['behaviour'] = {},
): () => Promise<string> {
  let started: Promise<EsdbEmulator> | undefined;
  return async () => {
    started ??= startEsdbEmulator({ serverVersion, behaviour }).then((emulator) => {
      emulators.push(emulator);
      return emulator;
    });
    return (await started).connectionString;
  };
}

describeEventStoreContract(
  'EventStoreDB adapter, emulator (24.10.2: BatchAppend, end-of-log go-live checkpoint)',
  storeFactory(sharedEmulator('24.10.2')),
);
describeEventStoreContract(
  'EventStoreDB adapter, emulator (24.10.2 without BatchAppend: plain Append)',
  storeFactory(sharedEmulator('24.10.2', { batchAppend: false })),
);
describeEventStoreContract(
  'EventStoreDB adapter, emulator (22.10.1: no CaughtUp, next-undelivered checkpoint, resume skips first)',
  storeFactory(sharedEmulator('22.10.1')),
);
describeEventStoreContract(
  'EventStoreDB adapter, emulator (23.10.0: resume skips first)',
  storeFactory(sharedEmulator('23.10.0')),
);
describeEventStoreContract(
  'EventStoreDB adapter, emulator (25.0.0: next-undelivered checkpoint)',
  storeFactory(sharedEmulator('25.0.0')),
);
describeEsdbAdapterChecks('emulator (24.10)', () => emulatedStore());
describeEsdbAdapterChecks('emulator (22.10, no CaughtUp message)', () => emulatedStore('22.10.0'));

const realUrl = process.env['EVENTSTORE_URL'];
describe.skipIf(!realUrl)(
  'real EventStoreDB (skipped: set EVENTSTORE_URL=esdb://localhost:2113?tls=false to run)',
  () => {
    const url = async (): Promise<string> => realUrl as string;
    describeEventStoreContract('EventStoreDB adapter, real server', storeFactory(url));
    describeEsdbAdapterChecks('real server', async () => createEsdbEventStore({ connectionString: await url() }));
  },
);

describe('resubscribing after the server drops the subscription', () => {
  let emulator: EsdbEmulator;
  let store: EventStore;
  beforeAll(async () => {
    emulator = await startEsdbEmulator();
    emulators.push(emulator);
    store = createEsdbEventStore({
      connectionString: emulator.connectionString,
      resubscribeBackoff: { initialMs: 20, maxMs: 200 },
    });
  });
  afterAll(async () => {
    await store.close();
  });

  it('resumes from the last delivered position with nothing lost or repeated', async () => {
    const stream = `drop-${randomUUID().slice(0, 8)}`;
    await store.append(stream, [{ id: randomUUID(), type: 'Before', data: {} }], { expectedRevision: 'no_stream' });
    const probe = probeSubscription(store, { streamPrefixes: ['drop-'] });
    const events = (items: readonly SubscriptionItem[]) => items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
    try {
      await probe.waitFor((items) => items.some((i) => i.kind === 'caught-up'));
      expect(emulator.subscriptionCount()).toBe(1);
      for (let round = 0; round < 3; round += 1) {
        expect(emulator.dropSubscriptions()).toBe(1);
        await store.append(stream, [{ id: randomUUID(), type: `After${round}`, data: {} }], {
          expectedRevision: BigInt(round),
        });
        await probe.waitFor((items) => events(items).some((e) => e.type === `After${round}`));
      }
      await probe.waitFor(() => emulator.subscriptionCount() === 1);
      expect(events(probe.items).map((e) => e.type)).toEqual(['Before', 'After0', 'After1', 'After2']);
      expect(probe.items.filter((i) => i.kind === 'caught-up')).toHaveLength(1);
    } finally {
      await probe.stop();
    }
    await probe.waitFor(() => emulator.subscriptionCount() === 0);
  });
});
