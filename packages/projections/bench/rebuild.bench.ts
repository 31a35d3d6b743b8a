/**
 * Projections benchmark (`pnpm --filter @recon/projections bench`).
 * 1. Rebuild of a generated history (BENCH_EVENTS, default 1,000,000 events, ~10 per lead) into all
 *    read models, in its own process (peak RSS reported), beside the real ceiling for the same work
 *    measured in the same run on the same data, also in its own process: read every event of the
 *    log through the same store, COPY the final rows into bare tables, build the same keys and
 *    indexes. BENCH_RUNS (default 3) alternating runs of each, medians. Goal ≥ 30,000 events/s,
 *    ≥ 0.6 × the ceiling, peak RSS ≤ 1 GB.
 * 2. Live lag: append → visible in the read model (checkpoint passed), p50/p99, at 1,000 events/s;
 *    the projections run in their own process, this one appends and watches.
 * Writes bench/results/projections-rebuild.json at the repo root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createPostgresEventStore } from '@recon/eventstore';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ALL_PROJECTIONS } from '../src/index';
import { generateHistory, type GeneratedEvent } from '../test/testing/generate-history';
import { reconEventId, streamOfEvent } from '@recon/domain';
import { dropBenchDatabase, freshBenchDatabase, loadEvents, loaderStore } from './bench-setup';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const LAG_SECONDS = Number(process.env['BENCH_LAG_SECONDS'] ?? 15);
const PAGE = Number(process.env['BENCH_PAGE'] ?? 20_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const DB_NAME = 'recon_bench_projections';
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

async function generateAndLoad(url: string): Promise<number> {
  const { store, pool } = loaderStore(url);
  let total = 0;
  let lead = 0;
  const chunkLeads = 5_000;
  while (total < EVENTS) {
    let events: GeneratedEvent[] = generateHistory({
      leads: chunkLeads,
      workspaces: 20,
      seed: 1000 + lead,
      firstLead: lead,
    });
    if (total + events.length > EVENTS) events = events.slice(0, EVENTS - total);
    await loadEvents(store, events);
    total += events.length;
    lead += chunkLeads;
    log(`loaded ${total} events (${lead} leads)`);
  }
  await store.close();
  await pool.end();
  return total;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function liveLag(url: string): Promise<{ p50: number; p99: number; samples: number; rate: number }> {
  const store = createPostgresEventStore({ connectionString: url, pollIntervalMs: 1_000 });
  // The projections run in their own process; this one appends and watches the checkpoint.
  const runner = spawnChild('live', url);
  await runner.ready;
  const events = generateHistory({
    leads: Math.ceil((LAG_SECONDS * 1000) / 9) + 100,
    workspaces: 5,
    seed: 99,
    firstLead: 10_000_000,
  });
  const pending: { position: string; at: number }[] = [];
  const lags: number[] = [];
  let done = false;
  const checkpoints = new pg.Client({ connectionString: url });
  await checkpoints.connect();
  const watcher = (async () => {
    while (!done || pending.length > 0) {
      const { rows } = await checkpoints.query<{ position: string }>(
        `SELECT c.position FROM projection_checkpoints c JOIN projection_generations g USING (projection, generation) WHERE projection = 'core'`,
      );
      const cp = rows[0]?.position ?? 'start';
      const now = performance.now();
      while (pending.length > 0 && store.comparePositions(pending[0]?.position as never, cp as never) <= 0)
        lags.push(now - (pending.shift()?.at ?? now));
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const started = performance.now();
  let sent = 0;
  let i = 0;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - started < LAG_SECONDS * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * 1000);
    while (sent < due && i < events.length) {
      const e = events[i] as GeneratedEvent;
      i += 1;
      sent += 1;
      const p = store
        .append(streamOfEvent(e), [{ id: reconEventId(e), type: e.type, data: e.data }], { expectedRevision: 'any' })
        .then((r) => {
          if (r.ok) pending.push({ position: r.position, at: performance.now() });
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= 64) await Promise.race(inFlight);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  pending.sort((a, b) => store.comparePositions(a.position as never, b.position as never));
  done = true;
  await watcher;
  await checkpoints.end();
  runner.child.stdin?.end();
  await runner.result;
  await store.close();
  lags.sort((a, b) => a - b);
  return { p50: percentile(lags, 50), p99: percentile(lags, 99), samples: lags.length, rate: sent / seconds };
}

interface ChildRun {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly result: Promise<Record<string, number>>;
}

/** Runs bench/rebuild-child.ts in its own node process; resolves with its `{ result }` line. */
function spawnChild(mode: string, url: string, env: Record<string, string> = {}): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'rebuild-child.ts'), mode], {
    env: { ...process.env, NODE_OPTIONS: '', BENCH_URL: url, BENCH_PAGE: String(PAGE), ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let readyResolve: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });
  const result = new Promise<Record<string, number>>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"ready":true')) readyResolve();
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"result"'));
      if (code !== 0 || line === undefined) reject(new Error(`${mode} child exited ${code}: ${out.slice(-500)}`));
      else resolve((JSON.parse(line) as { result: Record<string, number> }).result);
    });
  });
  result.catch(() => undefined);
  return { child, ready, result };
}

/** The rebuilt tables' rows as COPY files (untimed input of the ceiling). */
async function dumpFinalRows(url: string, dir: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const p of ALL_PROJECTIONS) {
      const { rows } = await client.query<{ schema_name: string }>(
        'SELECT schema_name FROM projection_generations WHERE projection = $1',
        [p.name],
      );
      const schema = rows[0]?.schema_name ?? '';
      for (const table of p.tables) {
        await pipeline(
          client.query(copyTo(`COPY "${schema}"."${table}" TO STDOUT`)),
          createWriteStream(path.join(dir, `${table}.copy`)),
        );
      }
    }
  } finally {
    await client.end();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const url = await freshBenchDatabase(DB_NAME);
  const dumpDir = await mkdtemp(path.join(tmpdir(), 'recon-bench-rebuild-'));
  try {
    log(`generating and loading ${EVENTS} events`);
    const loaded = await generateAndLoad(url);
    const rebuilds: Record<string, number>[] = [];
    const ceilings: Record<string, number>[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      log(`run ${run + 1}/${RUNS}: rebuilding all projections (own process)`);
      const r = await spawnChild('rebuild', url).result;
      log(
        `rebuild: ${r['events']} events in ${r['seconds']?.toFixed(1)} s = ${Math.round((r['events'] ?? 0) / (r['seconds'] ?? 1))}/s, peak RSS ${r['peakRssMb']} MB`,
      );
      rebuilds.push(r);
      if (run === 0) await dumpFinalRows(url, dumpDir);
      log(`run ${run + 1}/${RUNS}: ceiling (read the log, COPY the final rows, build the indexes; own process)`);
      const c = await spawnChild('ceiling', url, { BENCH_DUMP_DIR: dumpDir }).result;
      log(
        `ceiling: ${c['events']} events, read ${c['readSeconds']?.toFixed(1)} s, total ${c['seconds']?.toFixed(1)} s = ${Math.round((c['events'] ?? 0) / (c['seconds'] ?? 1))}/s`,
      );
      ceilings.push(c);
    }
    const rebuildSeconds = median(rebuilds.map((r) => r['seconds'] ?? 0));
    const ceilingSeconds = median(ceilings.map((r) => r['seconds'] ?? 0));
    const rebuildRate = loaded / rebuildSeconds;
    const ceilingRate = loaded / ceilingSeconds;
    const peakRss = Math.max(...rebuilds.map((r) => r['peakRssMb'] ?? 0));
    log(`live lag at 1,000 events/s for ${LAG_SECONDS} s`);
    const lag = await liveLag(url);
    log(
      `live lag p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms over ${lag.samples} appends at ${Math.round(lag.rate)}/s`,
    );
    const server = new pg.Client({ connectionString: url });
    await server.connect();
    const version = (await server.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v.split(' on ')[0] ?? '';
    await server.end();
    const out = {
      bench: 'projections-rebuild',
      at: new Date().toISOString(),
      machine: `${cpus().length} x ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${version}; rebuild, ceiling and live runner each in their own node process, medians of ${RUNS} alternating runs; ${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"}, 1-min load average ${loadavg()[0]?.toFixed(1)} at the end`,
      figures: [
        {
          name: `rebuild of ${loaded} events into all read models, vs the ceiling (read every event of the log through the same store, COPY the final rows into bare tables, then build the same keys and indexes and ANALYZE)`,
          value: Math.round(rebuildRate),
          unit: 'events/s',
          baseline: Math.round(ceilingRate),
          ratio: Number((rebuildRate / ceilingRate).toFixed(2)),
          goal: 0.6,
          goalKind: 'min',
        },
        { name: 'rebuild throughput', value: Math.round(rebuildRate), unit: 'events/s', goal: 30_000, goalKind: 'min' },
        { name: 'rebuild wall time', value: Number(rebuildSeconds.toFixed(1)), unit: 's' },
        { name: 'ceiling wall time', value: Number(ceilingSeconds.toFixed(1)), unit: 's' },
        {
          name: 'ceiling: reading the log alone',
          value: Number(median(ceilings.map((c) => c['readSeconds'] ?? 0)).toFixed(1)),
          unit: 's',
        },
        { name: 'rebuild peak RSS', value: peakRss, unit: 'MB', goal: 1024, goalKind: 'max' },
        {
          name: 'live lag append → visible p50 at 1,000 events/s',
          value: Number(lag.p50.toFixed(1)),
          unit: 'ms',
        },
        {
          name: 'live lag append → visible p99 at 1,000 events/s',
          value: Number(lag.p99.toFixed(1)),
          unit: 'ms',
          goal: 250,
          goalKind: 'max',
        },
        {
          name: 'live append rate achieved',
          value: Math.round(lag.rate),
          unit: 'events/s',
          goal: 1_000,
          goalKind: 'min',
        },
      ],
    };
    const file = path.resolve(here, '../../../bench/results/projections-rebuild.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote ${file}`);
  } finally {
    await rm(dumpDir, { recursive: true, force: true });
    // BENCH_KEEP=1 keeps the database (profiling bench/rebuild-child.ts against it).
    if (process.env['BENCH_KEEP'] !== '1') await dropBenchDatabase(DB_NAME);
  }
}

await main();
