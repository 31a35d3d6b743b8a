/**
 * The baseline of webhooks.bench.ts, in ITS OWN node process (forked by the bench with tsx, IPC
 * channel only): 8 writers (one pooled connection each) appending the events the webhook path
 * appends for unique deliveries, one delivery (one AppointmentBooked) per statement and commit,
 * with the plainest SQL that does the same write as the store (stream row at no_stream + event
 * row, one INSERT). On `{ count, tag }` it prepares `count` deliveries' events (not timed), runs
 * the writers and answers with events/s and the per-append latency p50/p99.
 * Env: DATABASE_URL (the bench's database), BENCH_WRITERS (default 8).
 */
import pg from 'pg';
import { CALENDLY_FIXTURE_KEY } from '../test/testing/fixtures';
import { eventsFor, signedDelivery } from './webhook-deliveries';

const WRITERS = Number(process.env['BENCH_WRITERS'] ?? 8);

const RAW_APPEND = `
WITH s AS (
  INSERT INTO eventstore.streams AS s (stream_name, revision) VALUES ($1, $2::int - 1)
  ON CONFLICT (stream_name) DO NOTHING
  RETURNING s.revision
)
INSERT INTO eventstore.events (stream_name, revision, event_id, event_type, data, metadata)
SELECT $1, s.revision - $2::int + u.ord, u.id, u.type, u.data, u.metadata
  FROM s, unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS u(id, type, data, metadata, ord)
 ORDER BY u.ord
RETURNING revision`;

// Connections stay open between rounds (keep-alive), as the server's pools do.
const pool = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: WRITERS, idleTimeoutMillis: 0 });

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function round(count: number, tag: string): Promise<Record<string, unknown>> {
  const observedAt = new Date().toISOString();
  const batches = Array.from({ length: count }, (_, i) => {
    const b = eventsFor(signedDelivery(`${tag}-${i}`, CALENDLY_FIXTURE_KEY, 0).body, 'ws_raw_baseline', observedAt);
    return [
      b.stream,
      b.events.length,
      b.events.map((e) => e.id),
      b.events.map((e) => e.type),
      b.events.map((e) => JSON.stringify(e.data)),
      b.events.map((e) => JSON.stringify(e.metadata ?? {})),
    ];
  });
  const latencies: number[] = [];
  let next = 0;
  let events = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const client = await pool.connect();
      try {
        while (next < batches.length) {
          const params = batches[next++]!;
          const t0 = performance.now();
          const { rowCount } = await client.query(RAW_APPEND, params);
          latencies.push(performance.now() - t0);
          if (rowCount !== params[1]) throw new Error('raw append did not insert the delivery');
          events += rowCount;
        }
      } finally {
        client.release();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    ok: true,
    eventsPerSecond: events / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

process.on('message', (message: { count: number; tag: string }) => {
  round(message.count, message.tag).then(
    (result) => process.send?.(result),
    (error: unknown) => process.send?.({ ok: false, message: String(error) }),
  );
});
process.on('disconnect', () => {
  void pool.end().finally(() => process.exit(0));
});
process.send?.({ ready: true });
