/**
 * The event-store port: what every adapter (PostgreSQL, EventStoreDB) provides and what the
 * exported contract suite checks. Nothing outside an adapter knows which store is behind it.
 */

/** Opaque, serializable, totally ordered position in the global log ($all). */
export type Position = string & { readonly __brand: 'Position' };

/** The position before the first event. Subscribing from it replays everything. */
export const START: Position = 'start' as Position;

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/**
 * An event to append. `id` is a UUID; deterministic ids make a retried append recognisable.
 *
 * What both stores guarantee for a retry of the same ids in the same order:
 * - with an exact expected revision or `no_stream` (the only kinds production code uses; a test in
 *   testing/production-append-expectations.test.ts keeps it so): the retry returns the original
 *   success, also after the stream moved on, a restart or (EventStoreDB) a leader election;
 * - with `any` / `stream_exists`: nothing portable. PostgreSQL recognises the retry in the same
 *   stream (and throws for an id reused in another stream); EventStoreDB dedupes only while the ids
 *   are in its in-memory cache (8 MiB, emptied by a restart or a leader election) and otherwise
 *   stores the events again.
 * Ids new at a stale revision are a WRONG_EXPECTED_VERSION, never a duplicate. At the current
 * revision EventStoreDB checks no ids at all.
 */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

/** An event as stored. `revision` counts from 0 within its stream. */
export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
}

export type AppendResult =
  | { readonly ok: true; readonly nextExpectedRevision: bigint; readonly position: Position }
  | {
      readonly ok: false;
      readonly code: 'WRONG_EXPECTED_VERSION';
      readonly streamName: string;
      readonly expected: ExpectedRevision;
      /** Current revision of the stream, or null when it does not exist. */
      readonly current: bigint | null;
    };

export interface ReadStreamOptions {
  /** Revision to start from (inclusive). Default 0. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /** Position to continue from (exclusive); equal to `from` when nothing new. */
  readonly next: Position;
}

export interface SubscribeOptions {
  /** Exclusive start: events strictly after this position. Default START. */
  readonly from?: Position;
  /** Only events whose stream name starts with one of these. Default: all non-system streams. */
  readonly streamPrefixes?: readonly string[];
  /** Stops the subscription (the iterator then ends). */
  readonly signal?: AbortSignal;
  /**
   * Told of every failure the adapter recovers from by itself (a dropped connection it resubscribes
   * after, a failed poll it retries), so the consumer can log it rate-limited and show it in its
   * state. A failure the adapter does not retry (e.g. access denied) is thrown from the iterator as
   * an `EventStoreError` instead.
   */
  readonly onRetry?: (failure: SubscriptionFailure) => void;
}

/** A subscription failure, described without any event data. */
export interface SubscriptionFailure {
  /** Stable code, e.g. EVENT_STORE_UNAVAILABLE, EVENT_STORE_ACCESS_DENIED. */
  readonly code: string;
  /** The error's class name and, where there is one, its driver/gRPC code; never row values. */
  readonly cause: string;
  /** How long the adapter waits before its next attempt. */
  readonly retryInMs: number;
}

/** What a subscription yields, in order. */
export type SubscriptionItem =
  | { readonly kind: 'event'; readonly event: RecordedEvent }
  /** Everything up to `position` has been delivered (filtered-out events included): save it. */
  | { readonly kind: 'checkpoint'; readonly position: Position }
  /** The subscription reached the live end of the log once; events after this are live. */
  | { readonly kind: 'caught-up'; readonly position: Position };

export interface EventStore {
  /**
   * Appends atomically under the expectation (default 'any'; see `EventToAppend` for what a retry
   * can rely on). Store failures throw an `EventStoreError` with a code (event-store-error.ts):
   * EVENT_STORE_UNAVAILABLE or EVENT_STORE_TIMEOUT (retry with the same ids: the write may have
   * landed), EVENT_STORE_APPEND_TOO_LARGE (over 1 MiB of data and metadata on both stores),
   * EVENT_STORE_STREAM_DELETED, EVENT_STORE_ACCESS_DENIED (never worth retrying).
   */
  append(
    streamName: string,
    events: readonly EventToAppend[],
    options?: { readonly expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Events of one stream in revision order; empty when the stream does not exist. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /** Events of all streams in global order, strictly after `from`. */
  readAll(from: Position, limit: number): Promise<ReadAllPage>;
  /**
   * The position of the last committed event visible to readers (START when empty): a safe place
   * to resume `readAll` from — nothing can later commit behind it.
   */
  headPosition(): Promise<Position>;
  /**
   * The position of the last committed event, whether or not global reads show it yet (START when
   * empty): every event committed before the call is at or before it. The target of a
   * read-your-writes wait. On PostgreSQL it runs ahead of `headPosition` while an older
   * transaction anywhere on the server is still open (global reads wait for it); on EventStoreDB
   * they are equal. Never a resume point for `readAll`.
   */
  lastCommittedPosition(): Promise<Position>;
  subscribe(options?: SubscribeOptions): AsyncIterable<SubscriptionItem>;
  /** Compares two positions of this store: negative, zero or positive. */
  comparePositions(a: Position, b: Position): number;
  close(): Promise<void>;
}
