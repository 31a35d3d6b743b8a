/**
 * Projections benchmark (`pnpm --filter @recon/projections bench`).
 * 1. Rebuild of a generated history (BENCH_EVENTS, default 1,000,000 events, ~10 per lead) into all
 *    read models, beside a raw-SQL baseline that upserts the same final rows with the same
 *    set-based statements (same page count) in the same run. Goal ≥ 30,000 events/s, ≥ 0.6 × baseline.
 * 2. Live lag: append → visible in the read model (checkpoint passed), p50/p99, at 1,000 events/s.
 * Writes bench/results/projections-rebuild.json at the repo root.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresEventStore } from '@recon/eventstore';
import { sql } from 'kysely';
import pg from 'pg';
import { ALL_PROJECTIONS, rebuildProjections, startProjections } from '../src/index';
import { insertRowsIgnoringDuplicates, upsertRows } from '../src/runtime/set-writes';
import { generateHistory, type GeneratedEvent } from '../test/testing/generate-history';
import { reconEventId, streamOfEvent } from '@recon/domain';
import { dropBenchDatabase, freshBenchDatabase, kyselyOn, loadEvents, loaderStore } from './bench-setup';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const LAG_SECONDS = Number(process.env['BENCH_LAG_SECONDS'] ?? 15);
const PAGE = 20_000;
const DB_NAME = 'recon_bench_projections';
const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} ${msg}\n`);

/** Table keys for the baseline's upserts (the same statements the projections use). */
const KEYS: Record<string, string[] | null> = {
  lead_lifecycle: ['workspace_id', 'lead_id'],
  lead_provider_checks: ['workspace_id', 'lead_id', 'provider'],
  appointments: ['workspace_id', 'provider', 'provider_appointment_id'],
  appointment_history: null,
  mismatches: ['workspace_id', 'lead_id', 'kind', 'since'],
  follow_up_tasks: ['task_id'],
  automation_gates: ['workspace_id', 'lead_id'],
  workspace_stats: ['workspace_id', 'metric'],
  lead_identities: ['workspace_id', 'lead_id'],
  unmatched_appointment_keys: ['workspace_id', 'provider', 'provider_appointment_id'],
};

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

async function baseline(url: string, pages: number): Promise<number> {
  const db = kyselyOn(url);
  let seconds = 0;
  try {
    for (const p of ALL_PROJECTIONS) {
      const live = await sql<{
        schema_name: string;
      }>`SELECT schema_name FROM projection_generations WHERE projection = ${p.name}`.execute(db);
      const source = live.rows[0]?.schema_name ?? '';
      const target = `bench_baseline_${p.name}`;
      await sql`DROP SCHEMA IF EXISTS ${sql.id(target)} CASCADE`.execute(db);
      await sql`CREATE SCHEMA ${sql.id(target)}`.execute(db);
      await db.transaction().execute((trx) => p.createTables(trx, target));
      // One table at a time (memory), written in as many pages as the rebuild read.
      for (const table of p.tables) {
        const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(`${source}.${table}`)}`.execute(
          db,
        );
        if (rows.length === 0) continue;
        const columns = Object.keys(rows[0] ?? {});
        const key = KEYS[table];
        const size = Math.ceil(rows.length / pages);
        const started = performance.now();
        for (let page = 0; page < pages; page += 1) {
          const chunk = rows.slice(page * size, (page + 1) * size);
          if (chunk.length === 0) continue;
          await db.transaction().execute(async (trx) => {
            if (key === null || key === undefined)
              await insertRowsIgnoringDuplicates(trx, target, table, columns, chunk);
            else await upsertRows(trx, target, table, key, columns, chunk);
          });
        }
        seconds += (performance.now() - started) / 1000;
      }
    }
    return seconds;
  } finally {
    for (const p of ALL_PROJECTIONS)
      await sql`DROP SCHEMA IF EXISTS ${sql.id(`bench_baseline_${p.name}`)} CASCADE`.execute(db);
    await db.destroy();
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function liveLag(url: string): Promise<{ p50: number; p99: number; samples: number; rate: number }> {
  const store = createPostgresEventStore({ connectionString: url, pollIntervalMs: 1_000 });
  const db = kyselyOn(url);
  const handle = startProjections({ store, db, clock: () => new Date(), names: ['core'], options: { idleMs: 2 } });
  const first = await handle.waitUntilCaughtUp(undefined, { timeoutMs: 600_000 });
  if (!first.ok) throw new Error('projections did not catch up before the lag run');
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
  await handle.stop();
  await store.close();
  await db.destroy();
  lags.sort((a, b) => a - b);
  return { p50: percentile(lags, 50), p99: percentile(lags, 99), samples: lags.length, rate: sent / seconds };
}

async function main(): Promise<void> {
  const url = await freshBenchDatabase(DB_NAME);
  try {
    log(`generating and loading ${EVENTS} events`);
    const loaded = await generateAndLoad(url);
    const store = createPostgresEventStore({ connectionString: url });
    const db = kyselyOn(url);
    log('rebuilding all projections');
    let lastLog = 0;
    const result = await rebuildProjections({ store, db }, undefined, {
      pageSize: PAGE,
      onProgress: (p) => {
        if (Date.now() - lastLog > 5_000) {
          lastLog = Date.now();
          log(`rebuild ${p.eventsDone} events, ${p.eventsPerSecond}/s`);
        }
      },
    });
    if (!result.ok) throw new Error(`rebuild failed: ${JSON.stringify(result)}`);
    const rebuildRate = result.value.events / result.value.seconds;
    log(
      `rebuild: ${result.value.events} events in ${result.value.seconds.toFixed(1)} s = ${Math.round(rebuildRate)}/s`,
    );
    await store.close();
    await db.destroy();
    const pages = Math.ceil(loaded / PAGE);
    const baseSeconds = await baseline(url, pages);
    const baseRate = loaded / baseSeconds;
    log(`baseline: same final rows, ${pages} pages, ${baseSeconds.toFixed(1)} s = ${Math.round(baseRate)} events/s`);
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
      machine: `${cpus().length} x ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join('/')} (shared machine)`,
      figures: [
        {
          name: `rebuild of ${loaded} events into all read models`,
          value: Math.round(rebuildRate),
          unit: 'events/s',
          baseline: Math.round(baseRate),
          ratio: Number((rebuildRate / baseRate).toFixed(2)),
          goal: 0.6,
        },
        { name: 'rebuild throughput vs goal', value: Math.round(rebuildRate), unit: 'events/s', goal: 30_000 },
        { name: 'rebuild wall time', value: Number(result.value.seconds.toFixed(1)), unit: 's' },
        { name: 'live lag append → visible p50 at 1,000 events/s', value: Number(lag.p50.toFixed(1)), unit: 'ms' },
        { name: 'live lag append → visible p99 at 1,000 events/s', value: Number(lag.p99.toFixed(1)), unit: 'ms' },
        { name: 'live append rate achieved', value: Math.round(lag.rate), unit: 'events/s', goal: 1_000 },
      ],
    };
    const file = path.resolve(here, '../../../bench/results/projections-rebuild.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(out, null, 2)}\n`);
    log(`wrote ${file}`);
  } finally {
    await dropBenchDatabase(DB_NAME);
  }
}

await main();
