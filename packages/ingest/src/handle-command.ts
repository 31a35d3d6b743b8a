/**
 * The one write path of ingest: read a stream, fold it to state, let a pure decider say which
 * events follow, append them with the revision that was read. A concurrent writer makes the append
 * fail with WRONG_EXPECTED_VERSION; then the whole read-decide-append runs again on fresh state
 * (the decider sees the other writer's events and usually decides less or nothing).
 * Deciding nothing is the idempotence guard: a duplicate command appends no event.
 */
import {
  isEventStoreError,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '@recon/eventstore';

/**
 * How a store failure is answered. EVENT_STORE_UNAVAILABLE (and a timeout, whose retry with the
 * same ids is safe) means "retry later"; the others can never succeed by retrying as they are: an
 * append over the store's size limit, a deleted stream, or credentials without the rights.
 */
export type StoreFailureCode =
  | 'EVENT_STORE_UNAVAILABLE'
  | 'EVENT_STORE_APPEND_TOO_LARGE'
  | 'EVENT_STORE_STREAM_DELETED'
  | 'EVENT_STORE_ACCESS_DENIED';

export function storeFailureCode(cause: unknown): StoreFailureCode {
  if (!isEventStoreError(cause) || cause.retryable) return 'EVENT_STORE_UNAVAILABLE';
  return cause.code === 'EVENT_STORE_UNAVAILABLE' || cause.code === 'EVENT_STORE_TIMEOUT'
    ? 'EVENT_STORE_UNAVAILABLE'
    : cause.code;
}

export interface StreamDecider<C, S> {
  readonly initialState: () => S;
  /** Folds one stored event; events this decider does not know are skipped by returning state. */
  readonly evolve: (state: S, event: RecordedEvent) => S;
  /** Pure: the events (with deterministic ids) that follow from the command on this state. */
  readonly decide: (command: C, state: S, revision: bigint | null) => readonly EventToAppend[];
}

export type HandleCommandResult<S> =
  | {
      readonly ok: true;
      readonly appended: readonly EventToAppend[];
      /**
       * Position of the last appended event; when nothing was appended, of the stream's last
       * event (what a reader must have seen to reflect this command); null for an empty stream.
       */
      readonly position: Position | null;
      /** The state the decision was made on. */
      readonly stateBefore: S;
    }
  | { readonly ok: false; readonly code: StoreFailureCode | 'CONCURRENCY_CONFLICT'; readonly cause?: unknown };

export interface HandleCommandOptions {
  /** Read-decide-append attempts before giving up with CONCURRENCY_CONFLICT. Default 5. */
  readonly maxAttempts?: number;
  /**
   * The stream is most likely new (a first booking): decide on the initial state and append with
   * `no_stream` without reading first. If the stream exists after all, the append is refused
   * (nothing written) and the normal read-decide-append follows. Saves a round trip per new stream.
   */
  readonly assumeNewStream?: boolean;
}

interface ReadState<S> {
  readonly state: S;
  readonly revision: bigint | null;
  readonly position: Position | null;
}

async function readState<C, S>(
  store: EventStore,
  streamName: string,
  decider: StreamDecider<C, S>,
): Promise<ReadState<S>> {
  const events = await store.readStream(streamName);
  let state = decider.initialState();
  let revision: bigint | null = null;
  let position: Position | null = null;
  for (const event of events) {
    state = decider.evolve(state, event);
    revision = event.revision;
    position = event.position;
  }
  return { state, revision, position };
}

/**
 * Runs one command against one stream. Store failures (connection lost, database down) become
 * EVENT_STORE_UNAVAILABLE: the caller answers "retry later", and nothing was half-written because
 * one append is one transaction. Failures a retry cannot fix keep their own code (StoreFailureCode).
 */
export async function handleCommand<C, S>(
  store: EventStore,
  streamName: string,
  decider: StreamDecider<C, S>,
  command: C,
  options: HandleCommandOptions = {},
): Promise<HandleCommandResult<S>> {
  const maxAttempts = options.maxAttempts ?? 5;
  if (options.assumeNewStream === true) {
    const state = decider.initialState();
    const events = decider.decide(command, state, null);
    if (events.length > 0) {
      try {
        const result = await store.append(streamName, events, { expectedRevision: 'no_stream' });
        if (result.ok) return { ok: true, appended: events, position: result.position, stateBefore: state };
      } catch (cause) {
        return { ok: false, code: storeFailureCode(cause), cause };
      }
    }
  }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let read: ReadState<S>;
    try {
      read = await readState(store, streamName, decider);
    } catch (cause) {
      return { ok: false, code: storeFailureCode(cause), cause };
    }
    const events = decider.decide(command, read.state, read.revision);
    if (events.length === 0) return { ok: true, appended: [], position: read.position, stateBefore: read.state };
    let result: Awaited<ReturnType<EventStore['append']>>;
    try {
      result = await store.append(streamName, events, { expectedRevision: read.revision ?? 'no_stream' });
    } catch (cause) {
      return { ok: false, code: storeFailureCode(cause), cause };
    }
    if (result.ok) return { ok: true, appended: events, position: result.position, stateBefore: read.state };
  }
  return { ok: false, code: 'CONCURRENCY_CONFLICT' };
}
