/**
 * The emulator's in-memory transaction log: one ordered list of records ($all) plus an index per
 * stream, with EventStoreDB's append rules (expected revision checks, idempotent re-appends of
 * the same event ids). Test double only: nothing here is durable.
 *
 * Idempotency follows the server: a retry with an exact expectation (or no_stream) below the
 * current revision is recognised by reading the stream; with `any` / `stream_exists` only through a
 * bounded cache of recent event ids (8 MiB on the server) that `forgetRecentIds()` empties, as a
 * restart or leader election does; at the current revision nothing is checked.
 *
 * Positions mimic EventStoreDB's: commit = prepare = a byte-like offset that grows by the
 * record's size, so positions are ordered but not dense (adapters must not assume +1 steps).
 */

export interface ProposedRecord {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly customMetadata: Uint8Array;
}

export interface StoredRecord extends ProposedRecord {
  readonly streamName: string;
  readonly revision: bigint;
  readonly position: bigint;
  /** 100 ns ticks since the Unix epoch, as the client decodes the `created` metadata. */
  readonly created: bigint;
}

/** `bigint` = exact revision; -1n is no_stream. */
export type EmulatorExpected = 'any' | 'no_stream' | 'stream_exists' | bigint;

export type AppendOutcome =
  | { readonly ok: true; readonly currentRevision: bigint; readonly position: bigint }
  | { readonly ok: false; readonly current: bigint | null; readonly expected: EmulatorExpected };

const TICKS_PER_MS = 10_000n;

export class EmulatorLog {
  readonly records: StoredRecord[] = [];
  private readonly streams = new Map<string, StoredRecord[]>();
  private readonly listeners = new Set<() => void>();
  private nextPosition = 128n;
  /** Recent event id → its stream and index there (the server's idempotency cache). */
  private readonly recentIds = new Map<string, { readonly streamName: string; readonly index: number }>();

  constructor(private readonly recentIdCapacity = 100_000) {}

  /** Empties the idempotency cache, as a server restart or a leader election does. */
  forgetRecentIds(): void {
    this.recentIds.clear();
  }

  /** Events of one stream in revision order (empty array when it does not exist). */
  stream(streamName: string): readonly StoredRecord[] {
    return this.streams.get(streamName) ?? [];
  }

  /** Called after every successful append that stored something. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  append(streamName: string, expected: EmulatorExpected, proposed: readonly ProposedRecord[]): AppendOutcome {
    const existing = this.streams.get(streamName) ?? [];
    const current = existing.length === 0 ? null : BigInt(existing.length - 1);
    const exact = expected === 'no_stream' ? -1n : typeof expected === 'bigint' ? expected : null;

    if (exact !== null) {
      const currentNumber = current ?? -1n;
      if (currentNumber !== exact) {
        // EventStoreDB treats a re-append of the same ids at the same place as success.
        const replay = matchAt(existing, Number(exact + 1n), proposed);
        return replay ?? { ok: false, current, expected };
      }
    } else {
      if (expected === 'stream_exists' && current === null) return { ok: false, current, expected };
      const first = proposed[0];
      const cached = first === undefined ? undefined : this.recentIds.get(first.id);
      const at = cached?.streamName === streamName ? cached.index : -1;
      if (at >= 0) {
        const replay = matchAt(existing, at, proposed);
        if (replay) return replay;
      }
    }
    if (proposed.length === 0) {
      return { ok: true, currentRevision: current ?? -1n, position: this.lastPosition() };
    }

    const stored = existing;
    const nowTicks = BigInt(Date.now()) * TICKS_PER_MS;
    for (const p of proposed) {
      const record: StoredRecord = {
        ...p,
        streamName,
        revision: BigInt(stored.length),
        position: this.nextPosition,
        created: nowTicks,
      };
      this.nextPosition += 64n + BigInt(p.data.length + p.customMetadata.length + streamName.length);
      stored.push(record);
      this.records.push(record);
      this.remember(record.id, streamName, stored.length - 1);
    }
    this.streams.set(streamName, stored);
    for (const listener of [...this.listeners]) listener();
    const last = stored[stored.length - 1] as StoredRecord;
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  private remember(id: string, streamName: string, index: number): void {
    this.recentIds.set(id, { streamName, index });
    if (this.recentIds.size > this.recentIdCapacity) {
      const oldest = this.recentIds.keys().next().value;
      if (oldest !== undefined) this.recentIds.delete(oldest);
    }
  }

  /** Index in `records` of the first record whose position is >= `position`. */
  indexAtOrAfter(position: bigint): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.records[mid] as StoredRecord).position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  lastPosition(): bigint {
    return this.records[this.records.length - 1]?.position ?? 0n;
  }

  /** The position the next appended record will get. */
  upcomingPosition(): bigint {
    return this.nextPosition;
  }
}

function matchAt(
  existing: readonly StoredRecord[],
  start: number,
  proposed: readonly ProposedRecord[],
): AppendOutcome | null {
  if (proposed.length === 0 || start < 0 || start + proposed.length > existing.length) return null;
  for (let i = 0; i < proposed.length; i += 1) {
    if (existing[start + i]?.id !== proposed[i]?.id) return null;
  }
  const last = existing[start + proposed.length - 1] as StoredRecord;
  return { ok: true, currentRevision: last.revision, position: last.position };
}
