/**
 * The workloads of the append/read benchmark, each in two forms over the same schema: through the
 * PostgreSQL adapter, and as the plainest raw SQL that does the same work (the baseline). The
 * ratio adapter/baseline is the figure: it measures what the adapter's guarantees cost.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { START, type EventStore, type EventToAppend } from '../src/index';

export interface Throughput {
  readonly events: number;
  readonly seconds: number;
  readonly perSecond: number;
}

function payload(n: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'AppointmentBooked',
    data: {
      workspaceId: 'ws_2f6c1d0e',
      leadId: `lead_${n}`,
      provider: 'calendly',
      providerAppointmentId: `evt_${randomUUID()}`,
      startsAt: '2026-12-01T15:30:00.000Z',
      endsAt: '2026-12-01T16:00:00.000Z',
      observedAt: '2026-11-25T13:00:00.000Z',
      evidence: { kind: 'webhook', deliveryId: randomUUID() },
    },
    metadata: { correlationId: randomUUID(), causationId: randomUUID(), schemaVersion: 1 },
  };
}

/** Appends a batch of `size` events to `stream` at `expected` (null = new stream); returns the new revision. */
type AppendFn = (stream: string, events: EventToAppend[], expected: bigint | null) => Promise<bigint>;

export function adapterAppend(store: EventStore): AppendFn {
  return async (stream, events, expected) => {
    const result = await store.append(stream, events, { expectedRevision: expected ?? 'no_stream' });
    if (!result.ok) throw new Error(`unexpected ${result.code}`);
    return result.nextExpectedRevision;
  };
}

const RAW_APPEND = `
WITH s AS (
  INSERT INTO eventstore.streams AS s (stream_name, revision) VALUES ($1, $2::int - 1)
  ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision + $2::int WHERE s.revision = $3::bigint
  RETURNING s.revision
)
INSERT INTO eventstore.events (stream_name, revision, event_id, event_type, data, metadata)
SELECT $1, s.revision - $2::int + u.ord, u.id, u.type, u.data, u.metadata
  FROM s, unnest($4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[]) WITH ORDINALITY AS u(id, type, data, metadata, ord)
 ORDER BY u.ord
RETURNING revision`;

export function rawAppend(pool: pg.Pool): AppendFn {
  return async (stream, events, expected) => {
    const { rows } = await pool.query<{ revision: string }>(RAW_APPEND, [
      stream,
      events.length,
      expected === null ? null : expected.toString(),
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata ?? {})),
    ]);
    const last = rows.at(-1);
    if (rows.length !== events.length || last === undefined) throw new Error('raw append did not insert the batch');
    return BigInt(last.revision);
  };
}

/** `writers` concurrent loops, each appending `perAppend` events to its own stream until the deadline. */
export async function measureAppends(
  append: AppendFn,
  label: string,
  writers: number,
  perAppend: number,
  durationMs: number,
): Promise<Throughput> {
  const started = performance.now();
  const deadline = started + durationMs;
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const stream = `bench-${label}-${randomUUID().slice(0, 8)}-w${w}`;
      let revision: bigint | null = null;
      let events = 0;
      while (performance.now() < deadline) {
        const batch = Array.from({ length: perAppend }, (_, i) => payload(events + i));
        revision = await append(stream, batch, revision);
        events += perAppend;
      }
      return events;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const events = counts.reduce((a, b) => a + b, 0);
  return { events, seconds, perSecond: events / seconds };
}

const RAW_PAGE = `SELECT transaction_id, position, stream_name, revision, event_id, event_type, data, metadata, recorded_at
  FROM eventstore.events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
  ORDER BY transaction_id, position LIMIT $3`;

/** Ordered replay of up to `maxEvents` from the start of the log with keyset paging in raw SQL. */
export async function measureRawReplay(pool: pg.Pool, pageSize: number, maxEvents: number): Promise<Throughput> {
  const started = performance.now();
  let tx = '0';
  let pos = '0';
  let events = 0;
  while (events < maxEvents) {
    const { rows } = await pool.query<{ transaction_id: string; position: string }>(RAW_PAGE, [tx, pos, pageSize]);
    const last = rows.at(-1);
    if (last === undefined) break;
    events += rows.length;
    tx = last.transaction_id;
    pos = last.position;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, perSecond: events / seconds };
}

/** The same replay through `readAll`. */
export async function measureAdapterReplay(
  store: EventStore,
  pageSize: number,
  maxEvents: number,
): Promise<Throughput> {
  const started = performance.now();
  let from = START;
  let events = 0;
  while (events < maxEvents) {
    const page = await store.readAll(from, pageSize);
    if (page.events.length === 0) break;
    events += page.events.length;
    from = page.next;
  }
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, perSecond: events / seconds };
}
