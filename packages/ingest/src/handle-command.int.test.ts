import { createPostgresEventStore, type EventStore, type RecordedEvent } from '@recon/eventstore';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand, type StreamDecider } from './handle-command';
import { observeAppointment } from './appointments/observe-appointment';
import { appointmentStreamName, eventIdAt, type ObserveProviderAppointment } from '@recon/domain';
import { observation } from '@recon/domain/testing';
import { eventStoreSchema } from './testing/test-schemas';

let database: FreshDatabase;
let store: EventStore;

/** A counter that may reach a target: "set to at least N" decides the missing increments. */
const counter: StreamDecider<{ stream: string; atLeast: number }, number> = {
  initialState: () => 0,
  evolve: (n: number, _e: RecordedEvent) => n + 1,
  decide: (c, n, revision) =>
    Array.from({ length: Math.max(0, c.atLeast - n) }, (_, i) => ({
      id: eventIdAt(c.stream, (revision ?? -1n) + 1n + BigInt(i), { type: 'Incremented', data: {} }),
      type: 'Incremented',
      data: {},
    })),
};

beforeAll(async () => {
  database = await freshDatabase({ name: 'handle-command', schemas: eventStoreSchema });
  store = createPostgresEventStore({ connectionString: database.url });
});
afterAll(async () => {
  await store?.close();
  await database?.drop();
});

describe('handleCommand against the PostgreSQL store', () => {
  it('gives an append over the store limit its own code (never EVENT_STORE_UNAVAILABLE, which invites endless retries)', async () => {
    const big: StreamDecider<{ stream: string }, number> = {
      initialState: () => 0,
      evolve: (n: number) => n + 1,
      decide: (c, _n, revision) => [
        {
          id: eventIdAt(c.stream, (revision ?? -1n) + 1n, { type: 'Huge', data: {} }),
          type: 'Huge',
          data: { blob: 'x'.repeat(1_100_000) },
        },
      ],
    };
    const result = await handleCommand(store, 'huge-1', big, { stream: 'huge-1' });
    expect(result).toMatchObject({ ok: false, code: 'EVENT_STORE_APPEND_TOO_LARGE' });
    expect(await store.readStream('huge-1')).toHaveLength(0);
  });

  it('appends what the decider says, and nothing for a command already reflected', async () => {
    const first = await handleCommand(store, 'counter-a', counter, { stream: 'counter-a', atLeast: 2 });
    expect(first.ok && first.appended.length).toBe(2);
    const again = await handleCommand(store, 'counter-a', counter, { stream: 'counter-a', atLeast: 2 });
    expect(again.ok && again.appended.length).toBe(0);
    expect(again.ok && again.position).toBe(first.ok && first.position);
  });

  it('concurrent commands on one stream retry on conflict and converge', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handleCommand(store, 'counter-b', counter, { stream: 'counter-b', atLeast: 1 + (i % 3) }, { maxAttempts: 20 }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await store.readStream('counter-b')).toHaveLength(3);
  });

  it('assumeNewStream appends without reading when the stream is new, and falls back when it is not', async () => {
    const fresh = await handleCommand(
      store,
      'counter-c',
      counter,
      { stream: 'counter-c', atLeast: 1 },
      { assumeNewStream: true },
    );
    expect(fresh.ok && fresh.appended.length).toBe(1);
    const more = await handleCommand(
      store,
      'counter-c',
      counter,
      { stream: 'counter-c', atLeast: 3 },
      { assumeNewStream: true },
    );
    expect(more.ok && more.appended.length).toBe(2);
    expect(await store.readStream('counter-c')).toHaveLength(3);
  });

  it('an unreachable store is EVENT_STORE_UNAVAILABLE, not an exception', async () => {
    const dead = createPostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    try {
      const result = await handleCommand(dead, 'counter-d', counter, { stream: 'counter-d', atLeast: 1 });
      expect(result).toMatchObject({ ok: false, code: 'EVENT_STORE_UNAVAILABLE' });
    } finally {
      await dead.close();
    }
  });
});

/** A GHL appointment without `dateUpdated`: the decider can only compare facts. */
function ghlWithoutVersion(
  status: ObserveProviderAppointment['status'],
  observedAt: string,
): ObserveProviderAppointment {
  return observation({
    workspaceId: 'ws-ids',
    providerAppointmentId: 'g-repeat',
    status,
    providerUpdatedAt: null,
    observedAt,
  });
}

describe('appointment observations through handleCommand (event ids)', () => {
  it('booked → canceled → booked again with the same times and no provider version stores the second booking; a retried delivery adds nothing', async () => {
    const stream = appointmentStreamName('ws-ids', 'ghl', 'g-repeat');
    const deliveries = [
      ghlWithoutVersion('scheduled', '2030-06-01T10:00:00.000Z'),
      ghlWithoutVersion('canceled', '2030-06-02T10:00:00.000Z'),
      ghlWithoutVersion('scheduled', '2030-06-03T10:00:00.000Z'),
    ];
    for (const observation of deliveries) {
      const result = await observeAppointment(store, { observation });
      expect(result).toMatchObject({ ok: true });
    }
    expect((await store.readStream(stream)).map((e) => e.type)).toEqual([
      'AppointmentBooked',
      'AppointmentCanceled',
      'AppointmentBooked',
    ]);

    const retry = await observeAppointment(store, {
      observation: ghlWithoutVersion('scheduled', '2030-06-03T10:00:09.000Z'),
    });
    expect(retry).toMatchObject({ ok: true, appended: [] });
    // The stream is not jammed: the next change is stored too.
    const canceledAgain = await observeAppointment(store, {
      observation: ghlWithoutVersion('canceled', '2030-06-04T10:00:00.000Z'),
    });
    expect(canceledAgain.ok && canceledAgain.appended.map((e) => e.type)).toEqual(['AppointmentCanceled']);
    expect(await store.readStream(stream)).toHaveLength(4);
  });

  it('an append retried after it was stored (same revision read) is recognised, not duplicated', async () => {
    const observation = {
      ...ghlWithoutVersion('scheduled', '2030-06-01T10:00:00.000Z'),
      providerAppointmentId: 'g-retry',
    };
    const first = await observeAppointment(store, { observation }, { assumeNewStream: true });
    expect(first.ok && first.appended).toHaveLength(1);
    const again = first.ok
      ? await store.append(appointmentStreamName('ws-ids', 'ghl', 'g-retry'), first.appended, {
          expectedRevision: 'any',
        })
      : null;
    expect(again?.ok).toBe(true);
    expect(await store.readStream(appointmentStreamName('ws-ids', 'ghl', 'g-retry'))).toHaveLength(1);
  });
});
