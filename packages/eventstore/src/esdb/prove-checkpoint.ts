/**
 * Turns a server checkpoint into a position that is safe to save, or refuses it.
 *
 * Real servers send checkpoints that are not safe: 24.10.0–24.10.4 send (2^64−1, 2^64−1), the end
 * of the log, when a filtered subscription from the start goes live without a match; 22.10.0–22.10.3,
 * late 24.10 and 25.0 send the position the next, not yet delivered event will get. Saving either
 * and resubscribing from it drops events. And 22.10/23.10 resume by skipping the first event at or
 * after the start position, so only a position at which an event actually is can be resumed from.
 *
 * So a checkpoint C is never passed on as is. We scan `$all` after the last safe position up to C,
 * stopping at the first event the subscription wants (it is still to be delivered), and take the
 * last event passed over — a real event position with nothing wanted between it and the safe one.
 * A checkpoint at or past the end-of-log sentinel is refused without a read. Cost: one read of at
 * most the checkpoint window per checkpoint.
 */
import { START as ESDB_START, type EventStoreDBClient } from '@eventstore/db-client';
import type { Position } from '../port';
import { compareEsdbPositions, decodeEsdbPosition, encodeEsdbPosition } from './esdb-position';

/** EventStoreDB's "end of the log" as some servers put it into checkpoints. */
const END_OF_LOG = 2n ** 64n - 1n;

export function isEndOfLog(position: { readonly commit: bigint; readonly prepare: bigint }): boolean {
  return position.commit >= END_OF_LOG || position.prepare >= END_OF_LOG;
}

/**
 * The last event position in (`safe`, `checkpoint`] before the first event `wanted` there, or null
 * when there is none (nothing new to save). `wanted` is the subscription's own stream filter.
 */
export async function proveCheckpoint(
  client: EventStoreDBClient,
  safe: Position,
  checkpoint: Position,
  wanted: (streamName: string) => boolean,
  pageSize: number,
): Promise<Position | null> {
  const decoded = decodeEsdbPosition(checkpoint);
  if (decoded === 'start' || isEndOfLog(decoded)) return null;
  if (compareEsdbPositions(checkpoint, safe) <= 0) return null;
  let from = safe;
  let proven: Position | null = null;
  for (;;) {
    const start = decodeEsdbPosition(from);
    let scanned = 0;
    let done = false;
    let lastInPage = from;
    // Every page is drained to its end (a half-read gRPC stream would block the client's dispose).
    for await (const resolved of client.readAll({
      fromPosition: start === 'start' ? ESDB_START : start,
      maxCount: pageSize,
    })) {
      scanned += 1;
      const event = resolved.event;
      if (done || !event?.position) continue;
      const position = encodeEsdbPosition(event.position);
      if (compareEsdbPositions(position, from) <= 0) continue;
      lastInPage = position;
      if (compareEsdbPositions(position, checkpoint) > 0 || wanted(event.streamId)) done = true;
      else proven = position;
    }
    if (done || scanned < pageSize || lastInPage === from) return proven;
    from = lastInPage;
  }
}
