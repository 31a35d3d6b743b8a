/**
 * Streams.Read (server streaming), for the three shapes the client sends: a stream read, an $all
 * read (optionally filtered) and a subscription (handed to `runSubscription`). Reads mirror
 * EventStoreDB: stream reads answer StreamNotFound for a missing stream; forward $all reads
 * include the event at the start position; backward reads return what lies before it.
 */
import { Metadata, type ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { EmulatorLog, StoredRecord } from './emulator-log';
import { filterFromOptions } from './emulator-filter';
import { refusedAsFollower, type LeaderEndpoint, type ReadView } from './follower-view';
import { streamsPb } from './generated';
import { runSubscription, type SubscriptionBehaviour } from './run-subscription';
import { eventResp, streamNameOf, streamNotFoundResp } from './wire-messages';

const PERMISSION_DENIED = 7;

export interface ReadBehaviour extends SubscriptionBehaviour {
  /** What stream and `$all` reads see: the log, or a follower's lagging replica of it. */
  readonly view: ReadView;
  /** Set when the emulator is a follower: requests that require the leader get NotLeader. */
  readonly leader: LeaderEndpoint | null;
}

export function handleRead(log: EmulatorLog, behaviour: ReadBehaviour) {
  return (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    if (refusedAsFollower(call as ServerWritableStream<unknown, unknown>, behaviour.leader)) return;
    const options = call.request.getOptions();
    if (options === undefined) {
      call.emit('error', { code: 3, details: 'read without options' });
      return;
    }
    if (options.hasAll() && behaviour.server.denyAllStreamReads) {
      const metadata = new Metadata();
      metadata.set('exception', 'access-denied');
      call.emit('error', { code: PERMISSION_DENIED, details: 'Access denied', metadata });
      return;
    }
    if (options.hasSubscription()) {
      runSubscription(log, call, options, behaviour);
      return;
    }
    const records = options.hasStream() ? readStream(behaviour.view, options) : readAll(behaviour.view, options);
    if (records === 'not-found') {
      call.write(streamNotFoundResp(streamNameOf(options.getStream()?.getStreamIdentifier())));
      call.end();
      return;
    }
    for (const record of records) call.write(eventResp(record));
    call.end();
  };
}

function countOf(options: ReadReq.Options): number {
  const count = Number(options.getCount());
  return Number.isFinite(count) && count > 0 ? count : Number.MAX_SAFE_INTEGER;
}

function readStream(log: ReadView, options: ReadReq.Options): readonly StoredRecord[] | 'not-found' {
  const streamOptions = options.getStream() as ReadReq.Options.StreamOptions;
  const events = log.stream(streamNameOf(streamOptions.getStreamIdentifier()));
  if (events.length === 0) return 'not-found';
  const count = countOf(options);
  const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
  if (!backwards) {
    const from = streamOptions.hasRevision()
      ? Number(streamOptions.getRevision())
      : streamOptions.hasEnd()
        ? events.length
        : 0;
    return events.slice(from, from + count);
  }
  const from = streamOptions.hasRevision()
    ? Number(streamOptions.getRevision())
    : streamOptions.hasStart()
      ? 0
      : events.length - 1;
  const upTo = Math.min(from, events.length - 1);
  return events.slice(Math.max(0, upTo - count + 1), upTo + 1).reverse();
}

function readAll(log: ReadView, options: ReadReq.Options): readonly StoredRecord[] {
  const all = options.getAll() as ReadReq.Options.AllOptions;
  const filter = filterFromOptions(options);
  const count = countOf(options);
  const backwards = options.getReadDirection() === streamsPb.ReadReq.Options.ReadDirection.BACKWARDS;
  const out: StoredRecord[] = [];
  if (!backwards) {
    let index = all.hasPosition()
      ? log.indexAtOrAfter(BigInt(all.getPosition()?.getCommitPosition() ?? '0'))
      : all.hasEnd()
        ? log.records.length
        : 0;
    for (; index < log.records.length && out.length < count; index += 1) {
      const record = log.records[index] as StoredRecord;
      if (filter.matches(record)) out.push(record);
    }
    return out;
  }
  let index = all.hasPosition()
    ? log.indexAtOrAfter(BigInt(all.getPosition()?.getCommitPosition() ?? '0')) - 1
    : all.hasStart()
      ? -1
      : log.records.length - 1;
  for (; index >= 0 && out.length < count; index -= 1) {
    const record = log.records[index] as StoredRecord;
    if (filter.matches(record)) out.push(record);
  }
  return out;
}
