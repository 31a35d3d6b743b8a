/**
 * The one error class adapters throw for store failures, with a stable code a caller can act on:
 * retry (UNAVAILABLE, TIMEOUT), or stop and tell an operator (ACCESS_DENIED, APPEND_TOO_LARGE,
 * STREAM_DELETED), instead of retrying something that can never succeed. `cause` describes the
 * driver error by class and code only, never by message (messages can quote data).
 */
export type EventStoreErrorCode =
  /** The store cannot be reached or dropped the call; retrying later can succeed. */
  | 'EVENT_STORE_UNAVAILABLE'
  /** The store did not answer in time; the write may or may not have landed (retry with the same ids). */
  | 'EVENT_STORE_TIMEOUT'
  /** The credentials are missing or lack the rights (EventStoreDB: `$all` needs `$admins` or an ACL). */
  | 'EVENT_STORE_ACCESS_DENIED'
  /** One append is larger than the store accepts (EventStoreDB's default maximum: 1 MiB). */
  | 'EVENT_STORE_APPEND_TOO_LARGE'
  /** The stream was deleted (tombstoned); appends to it can never succeed. */
  | 'EVENT_STORE_STREAM_DELETED';

/** Codes worth retrying; the others need a change of configuration or data first. */
export const RETRYABLE_EVENT_STORE_CODES: ReadonlySet<EventStoreErrorCode> = new Set([
  'EVENT_STORE_UNAVAILABLE',
  'EVENT_STORE_TIMEOUT',
]);

export class EventStoreError extends Error {
  override readonly name = 'EventStoreError';
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    /** The underlying error's class and gRPC/driver code, e.g. `AccessDeniedError(7)`. */
    readonly causeDescription: string,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return RETRYABLE_EVENT_STORE_CODES.has(this.code);
  }
}

export function isEventStoreError(error: unknown): error is EventStoreError {
  return error instanceof EventStoreError;
}
