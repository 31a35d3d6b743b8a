/**
 * Maps an error of `@eventstore/db-client` to an `EventStoreError` with a stable code, so callers
 * can tell a retryable outage from a failure that needs an operator (wrong credentials, an append
 * over the server's size limit, a deleted stream). Only class names and gRPC codes are kept.
 */
import {
  AccessDeniedError,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  StreamDeletedError,
  TimeoutError,
  isCommandError,
} from '@eventstore/db-client';
import { EventStoreError, type EventStoreErrorCode } from '../event-store-error';

const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;

const MESSAGES: Record<EventStoreErrorCode, string> = {
  EVENT_STORE_UNAVAILABLE: 'EventStoreDB is unavailable',
  EVENT_STORE_TIMEOUT: 'EventStoreDB did not answer in time; the write may have landed (retry with the same event ids)',
  EVENT_STORE_ACCESS_DENIED:
    'EventStoreDB denied access: put a user in EVENTSTORE_URL (esdb://user:password@host:2113?tls=true) that is in $admins or has read access to $all and write access to recon streams',
  EVENT_STORE_APPEND_TOO_LARGE: 'the append is larger than the EventStoreDB maximum append size (default 1 MiB)',
  EVENT_STORE_STREAM_DELETED: 'the stream was deleted in EventStoreDB; appends to it cannot succeed',
};

/** `Class(grpcCode)`, e.g. `AccessDeniedError(7)`; never the message. */
export function describeEsdbError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? `${error.constructor.name}(${code})` : error.constructor.name;
}

export function esdbErrorCode(error: unknown): EventStoreErrorCode {
  if (error instanceof EventStoreError) return error.code;
  if (error instanceof AccessDeniedError) return 'EVENT_STORE_ACCESS_DENIED';
  const grpcCode = (error as { code?: unknown } | null)?.code;
  if (grpcCode === PERMISSION_DENIED || grpcCode === UNAUTHENTICATED) return 'EVENT_STORE_ACCESS_DENIED';
  if (error instanceof MaxAppendSizeExceededError) return 'EVENT_STORE_APPEND_TOO_LARGE';
  if (error instanceof StreamDeletedError) return 'EVENT_STORE_STREAM_DELETED';
  if (error instanceof DeadlineExceededError || error instanceof TimeoutError) return 'EVENT_STORE_TIMEOUT';
  return 'EVENT_STORE_UNAVAILABLE';
}

export function toEventStoreError(error: unknown): EventStoreError {
  if (error instanceof EventStoreError) return error;
  const code = esdbErrorCode(error);
  return new EventStoreError(code, MESSAGES[code], describeEsdbError(error));
}

/** A failure of the store or the connection to it (as opposed to a bug in our code). */
export function isEsdbFailure(error: unknown): boolean {
  return (
    error instanceof EventStoreError ||
    (error instanceof Error && isCommandError(error)) ||
    typeof (error as { code?: unknown } | null)?.code === 'number'
  );
}
