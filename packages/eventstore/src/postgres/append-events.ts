/**
 * The append of the PostgreSQL adapter: one call of `eventstore.append_events` (one round trip,
 * one transaction) that checks the expected revision on the stream's row, inserts the batch with
 * `unnest`. A retried append of already-stored ids returns the original result. An append over
 * 1 MiB of JSON data and metadata is refused (EVENT_STORE_APPEND_TOO_LARGE), as EventStoreDB does.
 */
import type pg from 'pg';
import { EventStoreError } from '../event-store-error';
import type { AppendResult, EventToAppend, ExpectedRevision, Position } from '../port';
import { encodePosition } from './postgres-position';

interface AppendRow {
  out_ok: boolean;
  out_revision: string | null;
  out_transaction_id: string | null;
  out_position: string | null;
}

const UNIQUE_VIOLATION = '23505';

/** EventStoreDB's default maximum append size, held here too so both stores accept the same appends. */
export const MAX_APPEND_SIZE = 1024 * 1024;

function expectedParams(expected: ExpectedRevision): [string, string | null] {
  return typeof expected === 'bigint' ? ['revision', expected.toString()] : [expected, null];
}

function matches(expected: ExpectedRevision, current: bigint | null): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === null;
  if (expected === 'stream_exists') return current !== null;
  return current === expected;
}

async function appendNothing(
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

export async function appendEvents(
  pool: pg.Pool,
  streamName: string,
  events: readonly EventToAppend[],
  expected: ExpectedRevision,
  head: () => Promise<Position>,
): Promise<AppendResult> {
  if (events.length === 0) return appendNothing(pool, streamName, expected, head);
  const [kind, revision] = expectedParams(expected);
  const data = events.map((e) => JSON.stringify(e.data));
  const metadata = events.map((e) => JSON.stringify(e.metadata ?? {}));
  const size = [...data, ...metadata].reduce((sum, json) => sum + Buffer.byteLength(json, 'utf8'), 0);
  if (size > MAX_APPEND_SIZE) {
    throw new EventStoreError(
      'EVENT_STORE_APPEND_TOO_LARGE',
      `an append may carry at most ${MAX_APPEND_SIZE} bytes of data and metadata`,
      'PostgresAppend',
    );
  }
  const params = [streamName, kind, revision, events.map((e) => e.id), events.map((e) => e.type), data, metadata];
  const sql = 'SELECT * FROM eventstore.append_events($1, $2, $3, $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[])';
  let row: AppendRow | undefined;
  try {
    row = (await pool.query<AppendRow>(sql, params)).rows[0];
  } catch (error) {
    // Two concurrent retries of the same ids with a non-exact expectation: the loser hits the
    // unique event id. Once the winner committed, a second try recognises the stored events.
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    row = (await pool.query<AppendRow>(sql, params)).rows[0];
  }
  if (row === undefined) throw new Error('eventstore.append_events returned no row');
  if (!row.out_ok) {
    const current = row.out_revision === null ? null : BigInt(row.out_revision);
    return { ok: false, code: 'WRONG_EXPECTED_VERSION', streamName, expected, current };
  }
  if (row.out_revision === null || row.out_transaction_id === null || row.out_position === null) {
    throw new Error('eventstore.append_events returned an incomplete row');
  }
  return {
    ok: true,
    nextExpectedRevision: BigInt(row.out_revision),
    position: encodePosition(row.out_transaction_id, row.out_position),
  };
}
