/**
 * A catch-up subscription (to one stream or to $all, optionally filtered) as EventStoreDB runs
 * it: Confirmation first, then history, then live events, with Checkpoint messages every
 * `checkpointEvery` scanned records on filtered $all subscriptions and a CaughtUp message when
 * history is exhausted (servers from 23.10). What a filtered subscription sends when it goes live,
 * how a resumed `$all` subscription treats its start position and whether a slow live consumer is
 * dropped follow the configured `ServerBehaviour` (one mode per known server behaviour).
 */
import { randomUUID } from 'node:crypto';
import type { ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EmulatorLog, StoredRecord } from './emulator-log';
import { filterFromOptions } from './emulator-filter';
import { END_OF_LOG, type ServerBehaviour } from './server-behaviour';
import { caughtUpResp, checkpointResp, confirmationResp, eventResp, streamNameOf } from './wire-messages';

export type SubscriptionRegistry = Set<ServerWritableStream<ReadReq, ReadResp>>;

const UNAVAILABLE = 14;
const ABORTED = 10;

export interface SubscriptionBehaviour {
  readonly server: ServerBehaviour;
  readonly registry: SubscriptionRegistry;
}

export function runSubscription(
  log: EmulatorLog,
  call: ServerWritableStream<ReadReq, ReadResp>,
  options: ReadReq.Options,
  behaviour: SubscriptionBehaviour,
): void {
  const server = behaviour.server;
  let stopped = false;
  let wake: (() => void) | null = null;
  const stop = (): void => {
    stopped = true;
    behaviour.registry.delete(call);
    unlisten();
    wake?.();
  };
  const unlisten = log.onAppend(() => wake?.());
  behaviour.registry.add(call);
  call.on('cancelled', stop);
  call.on('close', stop);
  call.on('error', stop);

  const streamName = options.hasStream() ? streamNameOf(options.getStream()?.getStreamIdentifier()) : null;
  const source = (): readonly StoredRecord[] => (streamName === null ? log.records : log.stream(streamName));
  const filter = streamName === null ? filterFromOptions(options) : { matches: () => true, checkpointEvery: null };
  let cursor = startIndex(log, options, source(), server.resumeSkipsFirst);

  const write = async (resp: ReadResp): Promise<void> => {
    if (stopped) return;
    if (!call.write(resp)) await new Promise<void>((resolve) => call.once('drain', () => resolve()));
  };

  const pump = async (): Promise<void> => {
    await write(confirmationResp(randomUUID()));
    let scanned = 0;
    let matched = 0;
    let live = false;
    for (;;) {
      const records = source();
      if (live && server.maxLiveBuffer !== null && records.length - cursor > server.maxLiveBuffer) {
        // 22.10/23.10: the live buffer overflowed because the consumer fell behind; the server ends it.
        call.emit('error', { code: ABORTED, details: 'subscription dropped: the consumer is too slow' });
        stop();
        return;
      }
      while (!stopped && cursor < records.length) {
        const record = records[cursor] as StoredRecord;
        cursor += 1;
        scanned += 1;
        if (filter.matches(record)) {
          matched += 1;
          await write(eventResp(record));
        }
        if (filter.checkpointEvery !== null && scanned % filter.checkpointEvery === 0) {
          await write(checkpointResp(record.position));
        }
      }
      if (stopped) return;
      if (!live) {
        live = true;
        const goLive = filter.checkpointEvery === null ? null : goLivePosition(log, server, matched);
        if (goLive !== null) await write(checkpointResp(goLive));
        if (server.sendCaughtUp) await write(caughtUpResp());
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (stopped || cursor < source().length) resolve();
      });
      wake = null;
      if (stopped) return;
    }
  };
  void pump().catch(() => stop());
}

/** Drops a live subscription the way a server restart or a dropped connection does. */
export function dropSubscription(call: ServerWritableStream<ReadReq, ReadResp>): void {
  call.emit('error', { code: UNAVAILABLE, details: 'subscription dropped by the emulator' });
}

/** The checkpoint a filtered subscription sends when it goes live, per server behaviour. */
function goLivePosition(log: EmulatorLog, server: ServerBehaviour, matched: number): bigint | null {
  switch (server.goLiveCheckpoint) {
    case 'none':
      return null;
    case 'last-event':
      return log.lastPosition();
    case 'next-undelivered':
      return log.upcomingPosition();
    case 'end-of-log':
      return matched === 0 ? END_OF_LOG : null;
    default: {
      const never: never = server.goLiveCheckpoint;
      return never;
    }
  }
}

function startIndex(
  log: EmulatorLog,
  options: ReadReq.Options,
  records: readonly StoredRecord[],
  skipsFirst: boolean,
): number {
  if (options.hasStream()) {
    const stream = options.getStream() as ReadReq.Options.StreamOptions;
    if (stream.hasRevision()) return Number(stream.getRevision()) + 1;
    return stream.hasEnd() ? records.length : 0;
  }
  const all = options.getAll() as ReadReq.Options.AllOptions;
  if (all.hasPosition()) {
    const position = BigInt(all.getPosition()?.getCommitPosition() ?? '0');
    const at = log.indexAtOrAfter(position);
    // 22.10/23.10 skip the first event at or after the position, whether or not one is exactly there.
    return skipsFirst || log.records[at]?.position === position ? at + 1 : at;
  }
  return all.hasEnd() ? records.length : 0;
}
