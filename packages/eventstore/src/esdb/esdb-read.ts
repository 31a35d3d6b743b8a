/**
 * Reads over `@eventstore/db-client`: one stream (missing stream = empty; on the leader), the head
 * position (on the leader), and pages of $all
 * strictly after a position, skipping system streams. EventStoreDB's forward $all read includes
 * the event at the start position, so it is dropped here to keep the port's exclusive `from`.
 */
import {
  BACKWARDS,
  END,
  StreamNotFoundError,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position as EsdbPosition,
  type ReadStreamOptions,
} from '@eventstore/db-client';
import { START, type Position, type RecordedEvent } from '../port';
import { compareEsdbPositions, decodeEsdbPosition, encodeEsdbPosition } from './esdb-position';
import { isSystemStream, mapRecordedEvent } from './map-recorded-event';
import { onLeader } from './on-leader';

/** `from` = first revision (inclusive), or 'end' to read the last `count` events backwards. */
export async function readStreamEvents(
  client: EventStoreDBClient,
  streamName: string,
  from: bigint | 'end',
  count: number,
): Promise<RecordedEvent[]> {
  // On the leader: a decider reads the stream to choose the revision it appends at.
  const options: ReadStreamOptions =
    from === 'end'
      ? { fromRevision: END, direction: BACKWARDS, maxCount: count, requiresLeader: true }
      : { fromRevision: from, maxCount: count, requiresLeader: true };
  return onLeader(async () => {
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(streamName, options)) {
        const event = mapRecordedEvent(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  });
}

export interface ScannedPage {
  readonly events: RecordedEvent[];
  /** Last position scanned (returned or skipped); `from` when nothing was there. */
  readonly next: Position;
  /** True when the scan reached the end of the log. */
  readonly atEnd: boolean;
}

/**
 * Scans $all strictly after `from`, keeping events that pass `keep`, until `limit` are kept or
 * the log ends. `next` covers skipped events too, so a caller can checkpoint it.
 */
export async function scanAll(
  client: EventStoreDBClient,
  from: Position,
  limit: number,
  keep: (event: RecordedEvent) => boolean,
): Promise<ScannedPage> {
  const pageSize = Math.max(32, Math.min(limit + 1, 4096));
  const events: RecordedEvent[] = [];
  let next = from;
  for (;;) {
    const start = decodeEsdbPosition(next);
    let scanned = 0;
    let lastInPage = next;
    // Each page is drained to its end even once `limit` is reached: leaving a gRPC read stream
    // half-consumed keeps it open, and the client's dispose() would then wait for it forever.
    for await (const resolved of client.readAll({ fromPosition: start, maxCount: pageSize })) {
      scanned += 1;
      if (events.length === limit) continue;
      const event = mapRecordedEvent(resolved);
      const position = resolved.event?.position;
      if (!event || !position) continue;
      const encoded = encodeEsdbPosition(position);
      if (compareEsdbPositions(encoded, next) <= 0) continue;
      lastInPage = encoded;
      if (isSystemStream(event.streamName) || !keep(event)) continue;
      events.push(event);
    }
    if (events.length === limit) return { events, next: lastInPage, atEnd: false };
    if (lastInPage === next) return { events, next, atEnd: true };
    next = lastInPage;
    if (scanned < pageSize) return { events, next, atEnd: true };
  }
}

/** Position of the last non-system event, or START when there is none (read on the leader). */
export function headEsdbPosition(client: EventStoreDBClient): Promise<Position> {
  return onLeader(() => headOnLeader(client));
}

async function headOnLeader(client: EventStoreDBClient): Promise<Position> {
  const pageSize = 64;
  let before: EsdbPosition | null = null;
  for (;;) {
    let scanned = 0;
    let found: EsdbPosition | null = null;
    let oldest: EsdbPosition | null = null;
    // Drained to the end of the page, never left half-read (see scanAll).
    const page: AsyncIterable<AllStreamResolvedEvent> = client.readAll({
      fromPosition: before ?? END,
      direction: BACKWARDS,
      maxCount: pageSize,
      requiresLeader: true,
    });
    for await (const resolved of page) {
      scanned += 1;
      const event = resolved.event;
      const position: EsdbPosition | undefined = event?.position;
      if (found || !event || !position) continue;
      if (before !== null && position.commit >= before.commit) continue;
      if (!isSystemStream(event.streamId)) found = position;
      oldest = position;
    }
    if (found) return encodeEsdbPosition(found);
    if (scanned < pageSize || oldest === null) return START;
    before = oldest;
  }
}
