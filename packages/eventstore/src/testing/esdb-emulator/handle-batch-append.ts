/**
 * Streams.BatchAppend (bidirectional streaming), the call the client uses for every append once
 * the server advertises it (all 22.10+ servers). One long-lived stream per client carries every
 * append, told apart by correlation id; an append's events may span several requests, the last
 * one flagged `is_final`. Failures come back as a `google.rpc.Status` whose details name the
 * EventStoreDB error (WrongExpectedVersion, Timeout, MaximumAppendSizeExceeded, StreamDeleted),
 * and a transport error on the stream fails every append pending on it at once.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { AppendFaults } from './append-faults';
import type { EmulatorExpected, EmulatorLog, ProposedRecord } from './emulator-log';
import { anyPb, sharedPb, statusPb, streamsPb } from './generated';
import { streamIdentifier, streamNameOf, uuidOf } from './wire-messages';

const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const FAILED_PRECONDITION = 9;
const OUT_OF_RANGE = 11;

interface Pending {
  options: BatchAppendReq.Options | undefined;
  readonly proposed: ProposedRecord[];
  size: number;
}

export function handleBatchAppend(log: EmulatorLog, faults: AppendFaults, deleted: ReadonlySet<string>) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pending = new Map<string, Pending>();
    const unregister = faults.onBreak(() => {
      call.emit('error', { code: UNAVAILABLE, details: 'batch append stream broken by the emulator' });
    });
    call.on('cancelled', unregister);
    call.on('error', unregister);
    call.on('end', () => {
      unregister();
      call.end();
    });
    call.on('data', (req: BatchAppendReq) => {
      const correlation = uuidOf(req.getCorrelationId());
      const entry = pending.get(correlation) ?? { options: undefined, proposed: [], size: 0 };
      pending.set(correlation, entry);
      if (req.hasOptions()) entry.options = req.getOptions();
      for (const message of req.getProposedMessagesList()) {
        const meta = message.getMetadataMap();
        const data = message.getData_asU8();
        const customMetadata = message.getCustomMetadata_asU8();
        entry.size += data.length + customMetadata.length;
        entry.proposed.push({
          id: uuidOf(message.getId()),
          type: meta.get('type') ?? '',
          contentType: meta.get('content-type') ?? 'application/octet-stream',
          data,
          customMetadata,
        });
      }
      if (!req.getIsFinal()) return;
      pending.delete(correlation);
      const answer = (): void => {
        call.write(respond(log, faults, deleted, req, entry));
      };
      if (!faults.hold(answer)) answer();
    });
  };
}

function respond(
  log: EmulatorLog,
  faults: AppendFaults,
  deleted: ReadonlySet<string>,
  req: BatchAppendReq,
  entry: Pending,
): BatchAppendResp {
  const resp = new streamsPb.BatchAppendResp();
  resp.setCorrelationId(req.getCorrelationId());
  const options = entry.options;
  const streamName = streamNameOf(options?.getStreamIdentifier());
  resp.setStreamIdentifier(streamIdentifier(streamName));
  if (options === undefined) return withError(resp, FAILED_PRECONDITION, 'append without options', null);
  const expected = expectedOf(options);
  if (deleted.has(streamName)) {
    const detail = new sharedPb.StreamDeleted();
    detail.setStreamIdentifier(streamIdentifier(streamName));
    return withError(resp, FAILED_PRECONDITION, 'stream deleted', [
      'event_store.client.StreamDeleted',
      detail.serializeBinary(),
    ]);
  }
  if (entry.size > faults.maxAppendSize) {
    const detail = new sharedPb.MaximumAppendSizeExceeded();
    detail.setMaxappendsize(faults.maxAppendSize);
    return withError(resp, OUT_OF_RANGE, 'maximum append size exceeded', [
      'event_store.client.MaximumAppendSizeExceeded',
      detail.serializeBinary(),
    ]);
  }
  const outcome = log.append(streamName, expected, entry.proposed);
  if (!outcome.ok) {
    const detail = new sharedPb.WrongExpectedVersion();
    if (outcome.current === null) detail.setCurrentNoStream(new sharedPb.Empty());
    else detail.setCurrentStreamRevision(outcome.current.toString());
    if (expected === 'any') detail.setExpectedAny(new sharedPb.Empty());
    else if (expected === 'no_stream') detail.setExpectedNoStream(new sharedPb.Empty());
    else if (expected === 'stream_exists') detail.setExpectedStreamExists(new sharedPb.Empty());
    else detail.setExpectedStreamPosition(expected.toString());
    return withError(resp, FAILED_PRECONDITION, 'wrong expected version', [
      'event_store.client.WrongExpectedVersion',
      detail.serializeBinary(),
    ]);
  }
  if (faults.takeTimeout()) {
    return withError(resp, DEADLINE_EXCEEDED, 'timeout', [
      'event_store.client.Timeout',
      new sharedPb.Timeout().serializeBinary(),
    ]);
  }
  const success = new streamsPb.BatchAppendResp.Success();
  if (outcome.currentRevision < 0n) success.setNoStream(new sharedPb.Empty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  const position = new sharedPb.AllStreamPosition();
  position.setCommitPosition(outcome.position.toString());
  position.setPreparePosition(outcome.position.toString());
  success.setPosition(position);
  resp.setSuccess(success);
  return resp;
}

function withError(
  resp: BatchAppendResp,
  code: number,
  message: string,
  detail: readonly [string, Uint8Array] | null,
): BatchAppendResp {
  const status = new statusPb.Status();
  status.setCode(code);
  status.setMessage(message);
  if (detail !== null) {
    const any = new anyPb.Any();
    any.pack(detail[1], detail[0]);
    status.setDetails(any as never);
  }
  resp.setError(status);
  return resp;
}

function expectedOf(options: BatchAppendReq.Options): EmulatorExpected {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}
