/**
 * Append through `appendToStream` with the caller's expected revision passed through unchanged.
 * EventStoreDB dedupes event ids reliably only when the expected revision is exact, and even
 * then a retry whose first attempt did land can come back as WrongExpectedVersion; so on that
 * answer we read the stream where the events would have gone and, if the same ids are there in
 * the same order, report the original success (an idempotent retry), otherwise the conflict.
 * Every other failure is thrown as an `EventStoreError` with its own code: a Timeout
 * (EVENT_STORE_TIMEOUT: the write may have landed, retry with the same ids and an exact
 * expectation), the size limit, a deleted stream, access denied, or EVENT_STORE_UNAVAILABLE.
 */
import { WrongExpectedVersionError, jsonEvent, type EventStoreDBClient } from '@eventstore/db-client';
import { START, type AppendResult, type EventToAppend, type ExpectedRevision } from '../port';
import { toEventStoreError } from './classify-esdb-error';
import { encodeEsdbPosition } from './esdb-position';
import { readStreamEvents } from './esdb-read';

export async function esdbAppend(
  client: EventStoreDBClient,
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  if (events.length === 0) return appendNothing(client, streamName, expected);
  try {
    const result = await client.appendToStream(
      streamName,
      events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata ?? {} })),
      { expectedRevision: expected },
    );
    return {
      ok: true,
      nextExpectedRevision: result.nextExpectedRevision,
      position: result.position ? encodeEsdbPosition(result.position) : START,
    };
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw toEventStoreError(error);
    const current = typeof error.actualVersion === 'bigint' ? error.actualVersion : null;
    const replay = await alreadyAppended(client, streamName, events, expected);
    return replay ?? { ok: false, code: 'WRONG_EXPECTED_VERSION', streamName, expected, current };
  }
}

async function alreadyAppended(
  client: EventStoreDBClient,
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult | null> {
  const from = expected === 'no_stream' ? 0n : typeof expected === 'bigint' ? expected + 1n : null;
  if (from === null) return null;
  const stored = await readStreamEvents(client, streamName, from, events.length);
  if (stored.length !== events.length || stored.some((s, i) => s.id !== events[i]?.id)) return null;
  const last = stored[stored.length - 1];
  return last ? { ok: true, nextExpectedRevision: last.revision, position: last.position } : null;
}

/** An empty append writes nothing; it still answers whether the expectation holds. */
async function appendNothing(
  client: EventStoreDBClient,
  streamName: string,
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const tail = await readStreamEvents(client, streamName, 'end', 1);
  const last = tail[0];
  const current = last ? last.revision : null;
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && current === null) ||
    (expected === 'stream_exists' && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!holds) return { ok: false, code: 'WRONG_EXPECTED_VERSION', streamName, expected, current };
  return { ok: true, nextExpectedRevision: current ?? -1n, position: last ? last.position : START };
}
