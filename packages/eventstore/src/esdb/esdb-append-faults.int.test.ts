// The production append path (issue 12, findings 2 and 6): the client appends through BatchAppend
// whenever the server advertises it (every 22.10+ server), so the failures of that path are
// tested here against the emulator in both modes: a Timeout after the write committed, retried
// with the same ids, succeeds without a duplicate; a broken BatchAppend stream fails every
// pending append at once and the retries then succeed; the size limit and a deleted stream get
// their own codes instead of EVENT_STORE_UNAVAILABLE.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStoreError } from '../event-store-error';
import type { EventStore, EventToAppend } from '../port';
import { startEsdbEmulator, type EsdbEmulator } from '../testing/esdb-emulator';
import { createEsdbEventStore } from './esdb-event-store';

const newEvent = (data: Record<string, unknown> = {}): EventToAppend => ({ id: randomUUID(), type: 'Tested', data });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof EventStoreError ? error.code : `not an EventStoreError: ${String(error)}`;
  }
}

describe.each([
  { mode: 'BatchAppend (22.10+)', batchAppend: true },
  { mode: 'plain Append', batchAppend: false },
])('EventStoreDB append failures: $mode', ({ batchAppend }) => {
  let emulator: EsdbEmulator;
  let store: EventStore;
  beforeAll(async () => {
    emulator = await startEsdbEmulator({ serverVersion: '24.10.2', behaviour: { batchAppend } });
    store = createEsdbEventStore({ connectionString: emulator.connectionString });
  });
  afterAll(async () => {
    await store.close();
    await emulator.stop();
  });

  it('a Timeout after the write committed, retried with the same ids, succeeds without a duplicate', async () => {
    const stream = `timeout-${randomUUID()}`;
    const batch = [newEvent(), newEvent()];
    emulator.appendFaults.timeoutsAfterCommit = 1;
    expect(await codeOf(store.append(stream, batch, { expectedRevision: 'no_stream' }))).toBe('EVENT_STORE_TIMEOUT');
    const retry = await store.append(stream, batch, { expectedRevision: 'no_stream' });
    expect(retry).toMatchObject({ ok: true, nextExpectedRevision: 1n });
    const next = [newEvent()];
    emulator.appendFaults.timeoutsAfterCommit = 1;
    expect(await codeOf(store.append(stream, next, { expectedRevision: 1n }))).toBe('EVENT_STORE_TIMEOUT');
    expect(await store.append(stream, next, { expectedRevision: 1n })).toMatchObject({
      ok: true,
      nextExpectedRevision: 2n,
    });
    expect((await store.readStream(stream)).map((e) => e.id)).toEqual([...batch, ...next].map((e) => e.id));
  });

  it('idempotent retries: exact and no_stream survive the loss of the server cache, any does not (what the port promises)', async () => {
    const stream = `idem-${randomUUID()}`;
    const created = [newEvent()];
    const loose = [newEvent()];
    await store.append(stream, created, { expectedRevision: 'no_stream' });
    await store.append(stream, loose, { expectedRevision: 'any' });
    expect(await store.append(stream, loose, { expectedRevision: 'any' })).toMatchObject({
      ok: true,
      nextExpectedRevision: 1n,
    }); // cached
    emulator.forgetRecentIds(); // a server restart or leader election
    expect(await store.append(stream, created, { expectedRevision: 'no_stream' })).toMatchObject({
      ok: true,
      nextExpectedRevision: 0n,
    });
    await store.append(stream, loose, { expectedRevision: 'any' });
    expect((await store.readStream(stream)).map((e) => e.id)).toEqual([created[0]!.id, loose[0]!.id, loose[0]!.id]);
  });

  it('an append over the maximum append size is EVENT_STORE_APPEND_TOO_LARGE and stores nothing', async () => {
    const stream = `large-${randomUUID()}`;
    const big = newEvent({ blob: 'x'.repeat(1024 * 1024 + 16) });
    expect(await codeOf(store.append(stream, [big], { expectedRevision: 'no_stream' }))).toBe(
      'EVENT_STORE_APPEND_TOO_LARGE',
    );
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('an append to a deleted stream is EVENT_STORE_STREAM_DELETED', async () => {
    const stream = `deleted-${randomUUID()}`;
    await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
    emulator.tombstone(stream);
    expect(await codeOf(store.append(stream, [newEvent()], { expectedRevision: 0n }))).toBe(
      'EVENT_STORE_STREAM_DELETED',
    );
  });
});

describe('EventStoreDB BatchAppend: one shared stream', () => {
  let emulator: EsdbEmulator;
  let store: EventStore;
  beforeAll(async () => {
    emulator = await startEsdbEmulator({ serverVersion: '24.10.2' });
    store = createEsdbEventStore({ connectionString: emulator.connectionString });
    await store.append(`warm-${randomUUID()}`, [newEvent()]); // opens the shared BatchAppend stream
  });
  afterAll(async () => {
    await store.close();
    await emulator.stop();
  });

  it('a transport error fails every pending append at once; retries with the same ids then succeed once each', async () => {
    const streams = [0, 1, 2].map((i) => `pending-${i}-${randomUUID()}`);
    const batches = streams.map(() => [newEvent(), newEvent()]);
    emulator.appendFaults.stalled = true;
    const pending = streams.map((stream, i) =>
      codeOf(store.append(stream, batches[i]!, { expectedRevision: 'no_stream' })),
    );
    await waitFor(() => emulator.appendFaults.heldCount() === 3, {
      timeoutMs: 10_000,
      description: 'three appends pending',
    });
    emulator.appendFaults.stalled = false;
    expect(emulator.appendFaults.breakStreams()).toBe(1);
    expect(await Promise.all(pending)).toEqual([
      'EVENT_STORE_UNAVAILABLE',
      'EVENT_STORE_UNAVAILABLE',
      'EVENT_STORE_UNAVAILABLE',
    ]);
    const retried = await Promise.all(
      streams.map((stream, i) => store.append(stream, batches[i]!, { expectedRevision: 'no_stream' })),
    );
    expect(retried.every((r) => r.ok && r.nextExpectedRevision === 1n)).toBe(true);
    for (const [i, stream] of streams.entries()) {
      expect((await store.readStream(stream)).map((e) => e.id)).toEqual(batches[i]!.map((e) => e.id));
    }
  });
});
