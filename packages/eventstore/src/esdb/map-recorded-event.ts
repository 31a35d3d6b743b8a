/**
 * Converts an event as `@eventstore/db-client` returns it into the port's `RecordedEvent`.
 * recon only writes JSON events; anything else (binary data or metadata) maps to `{}` rather
 * than failing a whole read.
 */
import type { AllStreamResolvedEvent, ResolvedEvent } from '@eventstore/db-client';
import { START, type RecordedEvent } from '../port';
import { encodeEsdbPosition } from './esdb-position';

export function mapRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (event === undefined) return null;
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: event.revision,
    position: event.position === undefined ? START : encodeEsdbPosition(event.position),
    data: asObject(event.isJson ? event.data : undefined),
    metadata: asObject(event.metadata),
    recordedAt: event.created,
  };
}

/** System streams ($-prefixed: `$settings`, `$scavenges`, …) are EventStoreDB's, never recon's. */
export function isSystemStream(streamName: string): boolean {
  return streamName.startsWith('$');
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Uint8Array) && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
