/**
 * Builds the EventStoreDB wire messages (ReadResp variants) the emulator sends, from stored
 * records. Kept apart from the handlers so they read as protocol flow, not protobuf plumbing.
 */
import type { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { StoredRecord } from './emulator-log';
import { sharedPb, streamsPb } from './generated';

export function eventResp(record: StoredRecord): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent();
  const id = new sharedPb.UUID();
  id.setString(record.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(streamIdentifier(record.streamName));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setCommitPosition(record.position.toString());
  recorded.setPreparePosition(record.position.toString());
  const meta = recorded.getMetadataMap();
  meta.set('type', record.type);
  meta.set('content-type', record.contentType);
  meta.set('created', record.created.toString());
  recorded.setData(record.data);
  recorded.setCustomMetadata(record.customMetadata);
  const readEvent = new streamsPb.ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(record.position.toString());
  const resp = new streamsPb.ReadResp();
  resp.setEvent(readEvent);
  return resp;
}

export function confirmationResp(subscriptionId: string): ReadResp {
  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(subscriptionId);
  const resp = new streamsPb.ReadResp();
  resp.setConfirmation(confirmation);
  return resp;
}

export function checkpointResp(position: bigint): ReadResp {
  const checkpoint = new streamsPb.ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.toString());
  checkpoint.setPreparePosition(position.toString());
  const resp = new streamsPb.ReadResp();
  resp.setCheckpoint(checkpoint);
  return resp;
}

export function caughtUpResp(): ReadResp {
  const resp = new streamsPb.ReadResp();
  resp.setCaughtUp(new streamsPb.ReadResp.CaughtUp());
  return resp;
}

export function fellBehindResp(): ReadResp {
  const resp = new streamsPb.ReadResp();
  resp.setFellBehind(new streamsPb.ReadResp.FellBehind());
  return resp;
}

export function streamNotFoundResp(streamName: string): ReadResp {
  const notFound = new streamsPb.ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(streamIdentifier(streamName));
  const resp = new streamsPb.ReadResp();
  resp.setStreamNotFound(notFound);
  return resp;
}

export function streamIdentifier(streamName: string): InstanceType<typeof sharedPb.StreamIdentifier> {
  const identifier = new sharedPb.StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(streamName, 'utf8')));
  return identifier;
}

export function streamNameOf(identifier: { getStreamName_asU8(): Uint8Array } | undefined): string {
  return identifier === undefined ? '' : Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

/** Reads a UUID sent either as a string or as two 64-bit halves. */
export function uuidOf(uuid: InstanceType<typeof sharedPb.UUID> | undefined): string {
  if (uuid === undefined) return '';
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured();
  if (structured === undefined) return '';
  const view = new DataView(new ArrayBuffer(16));
  view.setBigInt64(0, BigInt(structured.getMostSignificantBits()));
  view.setBigInt64(8, BigInt(structured.getLeastSignificantBits()));
  const hex = Buffer.from(view.buffer).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
