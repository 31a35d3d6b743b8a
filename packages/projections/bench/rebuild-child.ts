/**
 * The process under test of the rebuild benchmark (spawned by rebuild.bench.ts, one run each):
 * - `rebuild`: rebuilds every projection (the store and a pool of its own, COPY loads);
 * - `ceiling`: the real ceiling for the same work: reads every event of the log through the same
 *   store (same pages), then COPYs the final rows (dumped beforehand, untimed, from the rebuilt
 *   generation into BENCH_DUMP_DIR) into bare tables and builds the same keys and indexes the same
 *   way (`buildIndexes`: same connections, same memory, ANALYZE);
 * - `live`: runs the projections until stdin closes (the lag run's process under test).
 * Prints one JSON line `{ "result": … }` with its peak RSS.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createPostgresEventStore, START, type Position } from '@recon/eventstore';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ALL_PROJECTIONS, rebuildProjections, startProjections } from '../src/index';
import { buildIndexes } from '../src/runtime/build-indexes';
import { runDdl } from '../src/runtime/ddl';

const url = process.env['BENCH_URL'] ?? '';
const mode = process.argv[2];
const PAGE = Number(process.env['BENCH_PAGE'] ?? 20_000);

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function open() {
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  const store = createPostgresEventStore({ connectionString: url });
  return { pool, db, store };
}

async function rebuild() {
  const { pool, db, store } = open();
  // BENCH_TRACE=1: the phases' heap and RSS on stderr, once a second.
  const started = performance.now();
  const trace =
    process.env['BENCH_TRACE'] === '1'
      ? setInterval(() => {
          const m = process.memoryUsage();
          process.stderr.write(
            `${((performance.now() - started) / 1000).toFixed(0)}s heap ${Math.round(m.heapUsed / 2 ** 20)} MB rss ${Math.round(m.rss / 2 ** 20)} MB\n`,
          );
        }, 1000)
      : null;
  const result = await rebuildProjections({ store, db, pool }, undefined, {
    pageSize: PAGE,
    ...(process.env['BENCH_HOT_ROWS'] === undefined ? {} : { hotRows: Number(process.env['BENCH_HOT_ROWS']) }),
    onProgress: (p) => {
      if (trace !== null) process.stderr.write(`events ${p.eventsDone}\n`);
    },
  });
  if (trace !== null) clearInterval(trace);
  if (!result.ok) throw new Error(`rebuild failed: ${JSON.stringify(result)}`);
  await store.close();
  await db.destroy();
  return { events: result.value.events, seconds: result.value.seconds, peakRssMb: peakRssMb() };
}

async function ceiling() {
  const dir = process.env['BENCH_DUMP_DIR'] ?? '';
  const { pool, db, store } = open();
  const started = performance.now();
  let events = 0;
  let position: Position = START;
  for (;;) {
    const page = await store.readAll(position, PAGE);
    if (page.events.length === 0) break;
    events += page.events.length;
    position = page.next;
  }
  const readSeconds = (performance.now() - started) / 1000;
  const schemas = ALL_PROJECTIONS.map((p) => ({ projection: p, schema: `bench_ceiling_${p.name}` }));
  for (const g of schemas) {
    await db.transaction().execute(async (trx) => {
      await sql`DROP SCHEMA IF EXISTS ${sql.id(g.schema)} CASCADE`.execute(trx);
      await sql`CREATE SCHEMA ${sql.id(g.schema)}`.execute(trx);
      await runDdl(trx, g.projection.ddl(g.schema), 'tables');
    });
  }
  const loads = schemas.flatMap((g) => g.projection.tables.map((table) => ({ schema: g.schema, table })));
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      const client = await pool.connect();
      try {
        for (let job = loads[next++]; job !== undefined; job = loads[next++]) {
          const file = path.join(dir, `${job.table}.copy`);
          await pipeline(
            createReadStream(file),
            client.query(copyFrom(`COPY "${job.schema}"."${job.table}" FROM STDIN`)),
          );
        }
      } finally {
        client.release();
      }
    }),
  );
  await buildIndexes(db, schemas);
  const seconds = (performance.now() - started) / 1000;
  for (const g of schemas) await sql`DROP SCHEMA IF EXISTS ${sql.id(g.schema)} CASCADE`.execute(db);
  await store.close();
  await db.destroy();
  return { events, seconds, readSeconds, peakRssMb: peakRssMb() };
}

async function live() {
  const { db, store } = open();
  const handle = startProjections({ store, db, clock: () => new Date(), names: ['core'], options: { idleMs: 2 } });
  const first = await handle.waitUntilCaughtUp(undefined, { timeoutMs: 600_000 });
  if (!first.ok) throw new Error('projections did not catch up before the lag run');
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise<void>((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
    process.stdin.resume();
  });
  await handle.stop();
  await store.close();
  await db.destroy();
  return { peakRssMb: peakRssMb() };
}

const run = mode === 'rebuild' ? rebuild : mode === 'ceiling' ? ceiling : mode === 'live' ? live : null;
if (run === null) throw new Error(`unknown mode ${mode}`);
process.stdout.write(`${JSON.stringify({ result: await run() })}\n`);
process.exit(0);
