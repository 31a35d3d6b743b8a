/**
 * `pnpm --filter @recon/api bench` (part 2): the operator read API under load. A mismatch page
 * (50 rows, keyset cursor spread over the list) and gate queries (1,000 leads per request) on a
 * database of BENCH_LEADS leads (default 1,000,000) seeded with set-based SQL directly into the
 * read-model tables (bench only: in production only projections write them). Each is driven over
 * HTTP by autocannon (32 connections, worker thread) and compared with the raw `pg` query of the
 * same rows at the same concurrency, in the same run. Writes bench/results/api-read.json.
 * Env: BENCH_LEADS, BENCH_DURATION (seconds per measurement, default 10), BENCH_CONNECTIONS (32).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresEventStore } from '@recon/eventstore';
import { encodeCursor } from '@recon/projections';
import { freshDatabase, stopLazyPostgresServer } from '@recon/testkit';
import { createApiKey, createWorkspace, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import { buildApp } from '../src/index';
import { testSchemas } from '../src/testing/test-schemas';
import { seedReadModels } from './seed-read-models';

interface AutocannonResult {
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly duration: number;
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const setupRequestFile = fileURLToPath(new URL('./read-setup-request.cjs', import.meta.url));
const LEADS = Number(process.env['BENCH_LEADS'] ?? 1_000_000);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 32);
const KIND = 'sentiment_booked_no_evidence';
const round2 = (n: number) => Math.round(n * 100) / 100;
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

interface Measured {
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
}

interface Prepared {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  /** The raw query's parameters for the same rows. */
  readonly raw: readonly unknown[];
}

async function overHttp(url: string, auth: string, prepared: readonly Prepared[], seconds: number): Promise<Measured> {
  const file = path.join(tmpdir(), `recon-read-bench-${process.pid}.json`);
  await writeFile(file, JSON.stringify(prepared.map(({ method, path: p, body }) => ({ method, path: p, body }))));
  process.env['BENCH_READ_REQUESTS'] = file;
  process.env['BENCH_AUTH'] = auth;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    workers: 1,
    requests: [{ setupRequest: setupRequestFile }],
  });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`http round failed: 2xx=${r['2xx']} non2xx=${r.non2xx} errors=${r.errors}`);
  return { rate: r['2xx'] / r.duration, p50: r.latency.p50, p99: r.latency.p99 };
}

async function raw(pool: pg.Pool, text: string, prepared: readonly Prepared[], seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < deadline) {
        const pick = prepared[Math.floor(Math.random() * prepared.length)]!;
        const t0 = performance.now();
        await pool.query(text, [...pick.raw]);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const MISMATCH_SQL = `SELECT * FROM mismatches WHERE workspace_id = $1 AND status = 'open' AND kind = $2
  AND (since, lead_id, kind) > ($3::timestamptz, $4, $5) ORDER BY since, lead_id, kind LIMIT 51`;
const GATES_SQL = 'SELECT * FROM automation_gates WHERE workspace_id = $1 AND lead_id = ANY($2::text[])';

async function main(): Promise<void> {
  const database = await freshDatabase({ name: 'read-bench', schemas: testSchemas });
  database.pool.on('error', () => undefined);
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  const store = createPostgresEventStore({ connectionString: database.url });
  const app = await buildApp({
    db,
    store,
    config: {
      adminToken: 'bench-admin-token-0123456789abcdef',
      secretKey: 'bench-secret-key-0123456789abcdef-0123456789',
      // A load test from one address with one key: the rate limits would measure themselves.
      rateLimits: { webhook: { max: 0 }, api: { max: 0 }, ip: { max: 0 } },
    },
  });
  try {
    const ws = (await createWorkspace(db, { name: 'bench', now: new Date() })).id;
    const key = (await createApiKey(db, { workspaceId: ws, label: 'bench', now: new Date() })).key;
    const t0 = performance.now();
    await seedReadModels(database.pool, ws, LEADS);
    console.log(`seeded ${LEADS} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });

    const { rows: starts } = await database.pool.query<{ since: Date; lead_id: string; kind: string }>(
      `SELECT since, lead_id, kind FROM (SELECT since, lead_id, kind, row_number() OVER (ORDER BY since, lead_id, kind) AS n
         FROM mismatches WHERE workspace_id = $1 AND status = 'open' AND kind = $2) x WHERE n % greatest(1, (SELECT count(*) / 200 FROM mismatches WHERE workspace_id = $1 AND kind = $2)) = 0`,
      [ws, KIND],
    );
    const mismatchRequests: Prepared[] = starts.map((s) => ({
      method: 'GET',
      path: `/v1/workspaces/${ws}/mismatches?kind=${KIND}&limit=50&cursor=${encodeCursor([s.since.toISOString(), s.lead_id, s.kind])}`,
      raw: [ws, KIND, s.since, s.lead_id, s.kind],
    }));
    const gateRequests: Prepared[] = Array.from({ length: 20 }, () => {
      const leadIds = Array.from({ length: 1000 }, () => `lead-${Math.floor(Math.random() * LEADS)}`);
      return {
        method: 'POST',
        path: `/v1/workspaces/${ws}/gates:query`,
        body: JSON.stringify({ leadIds }),
        raw: [ws, leadIds],
      };
    });
    const auth = `Bearer ${key}`;
    await overHttp(url, auth, mismatchRequests, 2); // warm-up (JIT, caches)
    await raw(database.pool, MISMATCH_SQL, mismatchRequests, 2);
    const mmHttp = await overHttp(url, auth, mismatchRequests, DURATION);
    const mmRaw = await raw(database.pool, MISMATCH_SQL, mismatchRequests, DURATION);
    await overHttp(url, auth, gateRequests, 2);
    const gHttp = await overHttp(url, auth, gateRequests, DURATION);
    const gRaw = await raw(database.pool, GATES_SQL, gateRequests, DURATION);

    const { rows: v } = await database.pool.query<{ server_version: string }>('SHOW server_version');
    const cpu = cpus();
    const result = {
      bench: 'api-read',
      at: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${v[0]?.server_version ?? '?'}; ${LEADS} leads; load generator in an autocannon worker thread of the same process; ${CONNECTIONS} connections, ${DURATION} s per measurement; pg pool of ${database.pool.options.max ?? 10} for both; 1-min load average at the end ${loadavg()[0]?.toFixed(1)} (shared machine)`,
      figures: [
        {
          name: `mismatch page (50 rows) over HTTP, ${CONNECTIONS} connections → req/s`,
          value: Math.round(mmHttp.rate),
          unit: 'req/s',
          baseline: Math.round(mmRaw.rate),
          ratio: round2(mmHttp.rate / mmRaw.rate),
          goal: 3000,
        },
        { name: 'mismatch page latency p50', value: round2(mmHttp.p50), unit: 'ms' },
        { name: 'mismatch page latency p99', value: round2(mmHttp.p99), unit: 'ms', goal: 10 },
        { name: 'raw pg query of the same mismatch page → req/s', value: Math.round(mmRaw.rate), unit: 'req/s' },
        { name: 'raw mismatch page latency p50', value: round2(mmRaw.p50), unit: 'ms' },
        { name: 'raw mismatch page latency p99', value: round2(mmRaw.p99), unit: 'ms' },
        {
          name: `gates query (1,000 leads) over HTTP, ${CONNECTIONS} connections → req/s`,
          value: Math.round(gHttp.rate),
          unit: 'req/s',
          baseline: Math.round(gRaw.rate),
          ratio: round2(gHttp.rate / gRaw.rate),
          goal: 0.5,
        },
        { name: 'gates query latency p50', value: round2(gHttp.p50), unit: 'ms' },
        { name: 'gates query latency p99', value: round2(gHttp.p99), unit: 'ms' },
        { name: 'raw pg query of the same 1,000 gates → req/s', value: Math.round(gRaw.rate), unit: 'req/s' },
        { name: 'raw gates latency p50', value: round2(gRaw.p50), unit: 'ms' },
        { name: 'raw gates latency p99', value: round2(gRaw.p99), unit: 'ms' },
      ],
    };
    const out = path.join(repoRoot, 'bench/results/api-read.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result.figures, null, 2));
  } finally {
    await app.close();
    await store.close();
    await database.drop();
    await stopLazyPostgresServer();
  }
}

await main();
