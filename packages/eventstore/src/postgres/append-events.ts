/**
 * The append of the PostgreSQL adapter: one call of `eventstore.append_events` (one round trip,
 * one transaction) that checks the expected revision on the stream's row, inserts the batch with
 * `unnest`. A retried append of already-stored ids returns the original result. An append over
 * 1 MiB of JSON data and metadata is refused (EVENT_STORE_APPEND_TOO_LARGE), as EventStoreDB does.
 * Concurrent appends normally arrive here through the group commit (group-commit.ts), which sends
 * those that arrive together as one `eventstore.append_batch` and uses this one-by-one path for a
 * lone append and as its fallback.
 */
import type pg from 'pg';
import { EventStoreError } from '../event-store-error';
import type { AppendResult, EventToAppend, ExpectedRevision, Position } from '../port';
import { encodePosition } from './postgres-position';

/** What `append_events` and `append_batch` return for one append. */
export interface AppendRow {
  out_ok: boolean;
  out_revision: string | null;
  out_transaction_id: string | null;
  out_position: string | null;
}

/** An append with its JSON already serialized (and its size checked) once. */
export interface EncodedAppend {
  readonly streamName: string;
  readonly expected: ExpectedRevision;
  readonly ids: readonly string[];
  readonly types: readonly string[];
  readonly data: readonly string[];
  readonly metadata: readonly string[];
  /** Bytes of JSON data and metadata. */
  readonly size: number;
}

const UNIQUE_VIOLATION = '23505';

/** EventStoreDB's default maximum append size, held here too so both stores accept the same appends. */
export const MAX_APPEND_SIZE = 1024 * 1024;

/** The expectation as `append_events` takes it: a kind and, for an exact revision, the revision. */
export function expectedParams(expected: ExpectedRevision): [string, string | null] {
  return typeof expected === 'bigint' ? ['revision', expected.toString()] : [expected, null];
}

function matches(expected: ExpectedRevision, current: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null;
  if (expected === 'stream_exists') return current !== null;
  return current === expected;
}

/** Serializes a non-empty append once; throws EVENT_STORE_APPEND_TOO_LARGE over 1 MiB. */
export function encodeAppend(
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
): EncodedAppend {
  const n = events.length;
  const ids = new Array<string>(n);
  const types = new Array<string>(n);
  const data = new Array<string>(n);
  const metadata = new Array<string>(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const e = events[i] as EventToAppend;
    ids[i] = e.id;
    types[i] = e.type;
    const d = JSON.stringify(e.data);
    const m = e.metadata === undefined ? '{}' : JSON.stringify(e.metadata);
    data[i] = d;
    metadata[i] = m;
    size += Buffer.byteLength(d, 'utf8') + Buffer.byteLength(m, 'utf8');
  }
  if (size > MAX_APPEND_SIZE) {
    throw new EventStoreError(
      'EVENT_STORE_APPEND_TOO_LARGE',
      `an append may carry at most ${MAX_APPEND_SIZE} bytes of data and metadata`,
      'PostgresAppend',
    );
  }
  return { streamName, expected, ids, types, data, metadata, size };
}

/** One append's row → its result. */
export function appendRowResult(row: AppendRow, streamName: string, expected: ExpectedRevision): AppendResult {
  if (!row.out_ok) {
    const current = row.out_revision === null ? null : BigInt(row.out_revision);
    return { ok: false, code: 'WRONG_EXPECTED_VERSION', streamName, expected, current };
  }
  if (row.out_revision === null || row.out_transaction_id === null || row.out_position === null) {
    throw new Error('eventstore append returned an incomplete row');
  }
  return {
    ok: true,
    nextExpectedRevision: BigInt(row.out_revision),
    position: encodePosition(row.out_transaction_id, row.out_position),
  };
}

/** An append of no events: only the expectation is checked. */
export async function appendNothing(
  pool: pg.Pool,
  streamName: string,
  expected: ExpectedRevision,
  head: () => Promise<Position>,
): Promise<AppendResult> {
  const { rows } = await pool.query<{ revision: string }>(
    'SELECT revision FROM eventstore.streams WHERE stream_name = $1',
    [streamName],
  );
  const current = rows[0] === undefined ? null : BigInt(rows[0].revision);
  if (!matches(expected, current)) return { ok: false, code: 'WRONG_EXPECTED_VERSION', streamName, expected, current };
  return { ok: true, nextExpectedRevision: current ?? -1n, position: await head() };
}

const APPEND_SQL =
  'SELECT * FROM eventstore.append_events($1, $2, $3, $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[])';

/** One encoded append in its own statement and transaction. */
export async function appendEncoded(pool: pg.Pool, append: EncodedAppend): Promise<AppendResult> {
  const [kind, revision] = expectedParams(append.expected);
  const params = [append.streamName, kind, revision, append.ids, append.types, append.data, append.metadata];
  let row: AppendRow | undefined;
  try {
    row = (await pool.query<AppendRow>(APPEND_SQL, params)).rows[0];
  } catch (error) {
    // Two concurrent retries of the same ids with a non-exact expectation: the loser hits the
    // unique event id. Once the winner committed, a second try recognises the stored events.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    row = (await pool.query<AppendRow>(APPEND_SQL, params)).rows[0];
  }
  if (row === undefined) throw new Error('eventstore.append_events returned no row');
  return appendRowResult(row, append.streamName, append.expected);
}
