/**
 * Streams.Append (client streaming): the first message carries the options (stream and expected
 * revision), each following one a proposed event; the reply is Success or WrongExpectedVersion,
 * as EventStoreDB answers it.
 */
import { Metadata, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import type { AppendFaults } from './append-faults';
import type { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { EmulatorExpected, EmulatorLog, ProposedRecord } from './emulator-log';
import { sharedPb, streamsPb } from './generated';
import { streamNameOf, uuidOf } from './wire-messages';

export function handleAppend(log: EmulatorLog, faults: AppendFaults, deleted: ReadonlySet<string>) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedRecord[] = [];
    call.on('data', (req: AppendReq) => {
      if (req.hasOptions()) options = req.getOptions();
      const message = req.getProposedMessage();
      if (message !== undefined) {
        const meta = message.getMetadataMap();
        proposed.push({
          id: uuidOf(message.getId()),
          type: meta.get('type') ?? '',
          contentType: meta.get('content-type') ?? 'application/octet-stream',
          data: message.getData_asU8(),
          customMetadata: message.getCustomMetadata_asU8(),
        });
      }
    });
    call.on('end', () => {
      if (options === undefined) {
        callback({ code: 3, details: 'append without options' });
        return;
      }
      const expected = expectedOf(options);
      const streamName = streamNameOf(options.getStreamIdentifier());
      if (deleted.has(streamName)) {
        callback(failure(9, 'stream deleted', { exception: 'stream-deleted', 'stream-name': streamName }));
        return;
      }
      const size = proposed.reduce((sum, p) => sum + p.data.length + p.customMetadata.length, 0);
      if (size > faults.maxAppendSize) {
        callback(
          failure(11, 'maximum append size exceeded', {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(faults.maxAppendSize),
          }),
        );
        return;
      }
      const outcome = log.append(streamName, expected, proposed);
      if (outcome.ok && faults.takeTimeout()) {
        callback({ code: 4, details: 'timeout' });
        return;
      }
      const resp = new streamsPb.AppendResp();
      if (outcome.ok) {
        const success = new streamsPb.AppendResp.Success();
        if (outcome.currentRevision < 0n) success.setNoStream(new sharedPb.Empty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        const position = new streamsPb.AppendResp.Position();
        position.setCommitPosition(outcome.position.toString());
        position.setPreparePosition(outcome.position.toString());
        success.setPosition(position);
        resp.setSuccess(success);
      } else {
        const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
        if (outcome.current === null) wrong.setCurrentNoStream(new sharedPb.Empty());
        else wrong.setCurrentRevision(outcome.current.toString());
        if (expected === 'any') wrong.setExpectedAny(new sharedPb.Empty());
        else if (expected === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
        else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
        else wrong.setExpectedRevision(expected.toString());
        resp.setWrongExpectedVersion(wrong);
      }
      callback(null, resp);
    });
  };
}

function expectedOf(options: AppendReq.Options): EmulatorExpected {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/** A gRPC error carrying EventStoreDB's `exception` trailer, as the plain Append call reports errors. */
function failure(
  code: number,
  details: string,
  trailers: Record<string, string>,
): { code: number; details: string; metadata: Metadata } {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return { code, details, metadata };
}
