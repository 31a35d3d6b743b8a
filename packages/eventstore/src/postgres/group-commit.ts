/**
 * Group commit for the PostgreSQL adapter: appends that arrive together (in the same turn of the
 * event loop, or while earlier batches are being written) go to the database as ONE
 * `eventstore.append_batch` statement, so one round trip and one commit (one WAL flush) serve many
 * callers. Each caller still gets its own result: the function runs the appends in order, each
 * with its own expected-revision check, so a WRONG_EXPECTED_VERSION for one leaves the others
 * alone and a retried append is recognised exactly as when it is alone.
 * - A lone append goes through `append_events` as before (no batch function, no extra latency but
 *   one `setImmediate`).
 * - The appends of a batch run sorted by stream name (stably: same-stream appends keep their
 *   order), so two batches from two processes lock stream rows in the same order.
 * - When the batch statement fails with an error of the statement (an event id reused in another
 *   stream, a deadlock), the whole transaction rolled back: its appends are then run one by one,
 *   in arrival order, and each caller gets the outcome of its own append. When the database is
 *   unavailable, every caller of the batch gets the error (retry with the same ids, as always).
 */
import { isDatabaseUnavailable } from '@recon/resilience';
import type pg from 'pg';
import type { AppendResult } from '../port';
import { type AppendRow, type EncodedAppend, appendEncoded, appendRowResult, expectedParams } from './append-events';

export interface GroupCommitOptions {
  /** Batches written at the same time. Default 2. */
  readonly maxInFlight?: number;
  /** Appends per batch. Default 128. */
  readonly maxAppends?: number;
  /** Bytes of JSON data and metadata per batch (a single append may exceed it alone). Default 4 MiB. */
  readonly maxBytes?: number;
}

export interface GroupCommit {
  append(append: EncodedAppend): Promise<AppendResult>;
  /** Resolves when nothing is queued or being written. */
  settled(): Promise<void>;
}

interface Waiting {
  readonly append: EncodedAppend;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

interface BatchRow extends AppendRow {
  out_index: number;
}

const BATCH_SQL =
  'SELECT * FROM eventstore.append_batch($1::text[], $2::text[], $3::bigint[], $4::int[], $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[])';

const DEADLOCK = '40P01';

/** A statement error: the server refused it and rolled its transaction back (nothing was written). */
function rolledBackStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return false;
  return code === DEADLOCK || !isDatabaseUnavailable(error);
}

function batchParams(batch: readonly Waiting[]): unknown[] {
  const streams: string[] = [];
  const kinds: string[] = [];
  const revisions: (string | null)[] = [];
  const counts: number[] = [];
  const ids: string[] = [];
  const types: string[] = [];
  const data: string[] = [];
  const metadata: string[] = [];
  for (const { append } of batch) {
    const [kind, revision] = expectedParams(append.expected);
    streams.push(append.streamName);
    kinds.push(kind);
    revisions.push(revision);
    counts.push(append.ids.length);
    ids.push(...append.ids);
    types.push(...append.types);
    data.push(...append.data);
    metadata.push(...append.metadata);
  }
  return [streams, kinds, revisions, counts, ids, types, data, metadata];
}

export function createGroupCommit(pool: pg.Pool, options: GroupCommitOptions = {}): GroupCommit {
  const maxInFlight = options.maxInFlight ?? 2;
  const maxAppends = options.maxAppends ?? 128;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  let idle: { promise: Promise<void>; resolve: () => void } | undefined;

  const take = (): Waiting[] => {
    const batch: Waiting[] = [];
    let bytes = 0;
    while (queue.length > 0 && batch.length < maxAppends) {
      const next = queue[0] as Waiting;
      if (batch.length > 0 && bytes + next.append.size > maxBytes) break;
      bytes += next.append.size;
      batch.push(next);
      queue.shift();
    }
    return batch;
  };

  const oneByOne = async (batch: readonly Waiting[]): Promise<void> => {
    for (const w of batch) await appendEncoded(pool, w.append).then(w.resolve, w.reject);
  };

  const write = async (batch: readonly Waiting[]): Promise<void> => {
    if (batch.length === 1) return oneByOne(batch);
    const ordered = [...batch].sort((a, b) =>
      a.append.streamName < b.append.streamName ? -1 : a.append.streamName > b.append.streamName ? 1 : 0,
    );
    let rows: BatchRow[];
    try {
      rows = (await pool.query<BatchRow>(BATCH_SQL, batchParams(ordered))).rows;
    } catch (error) {
      if (rolledBackStatement(error)) return oneByOne(batch);
      for (const w of batch) w.reject(error);
      return;
    }
    if (rows.length !== ordered.length) {
      const error = new Error('eventstore.append_batch returned a row count unlike the batch');
      for (const w of batch) w.reject(error);
      return;
    }
    for (const row of rows) {
      const w = ordered[row.out_index - 1] as Waiting;
      try {
        w.resolve(appendRowResult(row, w.append.streamName, w.append.expected));
      } catch (error) {
        w.reject(error);
      }
    }
  };

  const flush = (): void => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = take();
      inFlight += 1;
      // A bug in building the batch must not leave its callers waiting (settled promises ignore it).
      const settle = (error: unknown): void => {
        for (const w of batch) w.reject(error);
      };
      void write(batch)
        .catch(settle)
        .finally(() => {
          inFlight -= 1;
          if (queue.length > 0) schedule();
          else if (inFlight === 0 && idle !== undefined) {
            idle.resolve();
            idle = undefined;
          }
        });
    }
  };

  function schedule(): void {
    if (scheduled || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    append(append) {
      return new Promise<AppendResult>((resolve, reject) => {
        queue.push({ append, resolve, reject });
        schedule();
      });
    },
    settled() {
      if (queue.length === 0 && inFlight === 0) return Promise.resolve();
      if (idle === undefined) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        idle = { promise, resolve };
      }
      return idle.promise;
    },
  };
}
