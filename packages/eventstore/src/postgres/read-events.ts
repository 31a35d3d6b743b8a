/**
 * Reads of the PostgreSQL adapter. Global reads see only transactions older than the oldest
 * transaction still running (`pg_snapshot_xmin`), so nothing can later appear behind a position a
 * reader has passed. Stream reads need no fence: a stream's appends are serialised by its row.
 */
import type pg from 'pg';
import { START, type Position, type ReadAllPage, type ReadStreamOptions, type RecordedEvent } from '../port';
import { decodePosition, encodePosition } from './postgres-position';

interface EventRow {
  transaction_id: string;
  position: string;
  stream_name: string;
  revision: string;
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

const COLUMNS = 'transaction_id, position, stream_name, revision, event_id, event_type, data, metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.event_type,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: encodePosition(row.transaction_id, row.position),
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}

export async function readStream(
  pool: pg.Pool,
  streamName: string,
  options: ReadStreamOptions = {},
): Promise<readonly RecordedEvent[]> {
  const { rows } = await pool.query<EventRow>(
    `SELECT ${COLUMNS} FROM eventstore.events
      WHERE stream_name = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
    [streamName, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
  );
  return rows.map(toRecordedEvent);
}

/** Escapes LIKE wildcards so a prefix matches literally. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface GlobalPage extends ReadAllPage {
  /** Last event visible to this read (unfiltered), START when none: a safe checkpoint once the page is not full. */
  readonly head: Position | null;
}

/**
 * One page in global order strictly after `from`, optionally filtered by stream prefix, plus the
 * visible head, both from the same statement snapshot (so the head never runs ahead of the page).
 */
export async function readGlobalPage(
  pool: pg.Pool,
  from: Position,
  limit: number,
  streamPrefixes: readonly string[] | undefined,
  withHead: boolean,
): Promise<GlobalPage> {
  const start = decodePosition(from);
  const patterns = streamPrefixes === undefined ? null : streamPrefixes.map(likePrefix);
  const page = `SELECT ${COLUMNS}, false AS is_head FROM eventstore.events
      WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
        AND transaction_id < (SELECT xmin FROM fence)
        ${patterns === null ? '' : 'AND stream_name LIKE ANY($4::text[])'}
      ORDER BY transaction_id, position LIMIT $3`;
  const head = `SELECT transaction_id, position, NULL::text, NULL::bigint, NULL::uuid, NULL::text, NULL::jsonb, NULL::jsonb, NULL::timestamptz, true
      FROM eventstore.events WHERE transaction_id < (SELECT xmin FROM fence)
      ORDER BY transaction_id DESC, position DESC LIMIT 1`;
  const sql = `WITH fence AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
    SELECT * FROM (${page}) p${withHead ? ` UNION ALL SELECT * FROM (${head}) h` : ''}`;
  const params: unknown[] = [start.transactionId.toString(), start.position.toString(), limit];
  if (patterns !== null) params.push(patterns);
  const { rows } = await pool.query<EventRow & { is_head: boolean }>(sql, params);
  const events: RecordedEvent[] = [];
  let headPosition: Position | null = null;
  for (const row of rows) {
    if (row.is_head) headPosition = encodePosition(row.transaction_id, row.position);
    else events.push(toRecordedEvent(row));
  }
  const last = events.at(-1);
  return { events, next: last === undefined ? from : last.position, head: headPosition };
}

/**
 * The last committed event, past the fence (START when none): under READ COMMITTED this statement
 * sees every transaction committed before it began, so every event its caller committed is at or
 * before the answer. Global reads reach it once the older transactions still open have ended.
 */
export async function lastCommittedPosition(pool: pg.Pool): Promise<Position> {
  const { rows } = await pool.query<{ transaction_id: string; position: string }>(
    'SELECT transaction_id, position FROM eventstore.events ORDER BY transaction_id DESC, position DESC LIMIT 1',
  );
  const row = rows[0];
  return row === undefined ? START : encodePosition(row.transaction_id, row.position);
}
