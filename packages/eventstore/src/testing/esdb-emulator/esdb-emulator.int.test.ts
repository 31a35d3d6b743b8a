// The emulator speaks EventStoreDB's protocol to the real client for the calls recon's adapter
// does not make itself (stream subscriptions, backward reads, event-type filters), so a change
// to it that breaks protocol fidelity fails here and not deep inside an adapter test.
import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEsdbEmulator, type EsdbEmulator } from './start-esdb-emulator';

const event = (type = 'Tested') => jsonEvent({ id: randomUUID(), type, data: { ok: true } });

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('EventStoreDB protocol emulator', () => {
  let emulator: EsdbEmulator;
  let client: EventStoreDBClient;
  beforeAll(async () => {
    emulator = await startEsdbEmulator();
    client = EventStoreDBClient.connectionString(emulator.connectionString);
  });
  afterAll(async () => {
    await client.dispose();
    await emulator.stop();
  });

  it('appends, rejects a wrong expected revision and reads a stream both ways', async () => {
    const stream = `emu-${randomUUID()}`;
    await client.appendToStream(stream, [event(), event(), event()], { expectedRevision: 'no_stream' });
    await expect(client.appendToStream(stream, [event()], { expectedRevision: 0n })).rejects.toBeInstanceOf(
      WrongExpectedVersionError,
    );
    const forwards = await drain(client.readStream(stream, { fromRevision: 1n }));
    expect(forwards.map((e) => e.event?.revision)).toEqual([1n, 2n]);
    const backwards = await drain(client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 2 }));
    expect(backwards.map((e) => e.event?.revision)).toEqual([2n, 1n]);
    await expect(drain(client.readStream(`emu-missing-${randomUUID()}`))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all backwards from the end, newest first, including system streams', async () => {
    const stream = `emu-${randomUUID()}`;
    await client.appendToStream(stream, [event('First'), event('Last')]);
    const newest = await drain(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 2 }));
    expect(newest.map((e) => e.event?.type)).toEqual(['Last', 'First']);
    const oldest = await drain(client.readAll({ fromPosition: START, maxCount: 1 }));
    expect(oldest[0]?.event?.streamId.startsWith('$')).toBe(true);
  });

  it('subscribes to one stream after a revision, then live, and filters $all by event type', async () => {
    const stream = `emu-${randomUUID()}`;
    const type = `Only${randomUUID().slice(0, 8)}`;
    await client.appendToStream(stream, [event(), event(type)]);
    const streamSub = client.subscribeToStream(stream, { fromRevision: 0n });
    const allSub = client.subscribeToAll({ filter: eventTypeFilter({ prefixes: [type] }) });
    try {
      await client.appendToStream(stream, [event(type)]);
      const fromStream: bigint[] = [];
      for await (const e of streamSub) {
        fromStream.push(e.event?.revision ?? -1n);
        if (fromStream.length === 2) break;
      }
      expect(fromStream).toEqual([1n, 2n]);
      const byType: string[] = [];
      for await (const e of allSub) {
        byType.push(`${e.event?.streamId}:${e.event?.revision}`);
        if (byType.length === 2) break;
      }
      expect(byType).toEqual([`${stream}:1`, `${stream}:2`]);
    } finally {
      await streamSub.unsubscribe();
      await allSub.unsubscribe();
    }
  });
});
