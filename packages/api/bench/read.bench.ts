/**
 * `pnpm --filter @recon/api bench` (part 2): the operator read API under load, on a database of
 * BENCH_LEADS leads (default 1,000,000) seeded with set-based SQL directly into the read models
 * (bench only: in production only projections write them).
 * - The server under test is this process (buildApp, its pool wrapped by withNamedStatements as
 *   `recon start` does). The load generator is its own node process (read-load-generator.cjs:
 *   autocannon, keep-alive connections).
 * - The ceiling is `pgbench -M prepared` (4 clients, its own process) running the very SQL the
 *   route sent (recorded from the server's pool) on the same data in the same run: the mismatch
 *   page's cursor is a random key of the table (`:g`), the gate batches the same 20 sets of 1,000
 *   ids as the HTTP requests (looked up by `\gset`, one extra indexed lookup per transaction).
 * - Figures: the mismatch page and the gate batch closed-loop (BENCH_CONNECTIONS connections) vs
 *   the ceiling; the mismatch page at a fixed open-loop 300 req/s (autocannon `overallRate`) and
 *   GET …/stats at 100 req/s, their p99; both on one connection (the service time, no queueing);
 *   the server's CPU time per request. Every measurement is taken BENCH_ROUNDS times (HTTP and
 *   pgbench alternating); the figures are the medians.
 * Writes bench/results/api-read.json.
 * Env: BENCH_LEADS, BENCH_DURATION (seconds per measurement, default 10), BENCH_CONNECTIONS (16), BENCH_ROUNDS (3).
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPostgresEventStore } from '@recon/eventstore';
import { encodeCursor, PREPARED, withNamedStatements } from '@recon/projections';
import { freshDatabase, stopLazyPostgresServer } from '@recon/testkit';
import { createApiKey, createWorkspace, type WorkspacesDatabase } from '@recon/workspaces';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import { buildApp } from '../src/index';
import { testSchemas } from '../src/testing/test-schemas';
import { seedReadModels } from './seed-read-models';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const GENERATOR = fileURLToPath(new URL('./read-load-generator.cjs', import.meta.url));
const LEADS = Number(process.env['BENCH_LEADS'] ?? 1_000_000);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 16);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PGBENCH_CLIENTS = 4;
const PAGE_RATE = 300;
const STATS_RATE = 100;
const KIND = 'sentiment_booked_no_evidence';
const round2 = (n: number) => Math.round(n * 100) / 100;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? 0
    : s.length % 2 === 1
      ? s[(s.length - 1) / 2]!
      : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Prepared {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
}

interface HttpRound {
  readonly rate: number;
  /** CPU time of this process (the server under test) per answered request, µs. */
  readonly serverCpuUs: number;
  readonly p50: number;
  readonly p99: number;
  readonly generatorCpu: number;
}

/** The load generator process: one autocannon round per message. */
async function startGenerator(): Promise<{
  run(m: Record<string, unknown>): Promise<Record<string, number | boolean | string>>;
  stop(): void;
}> {
  const child: ChildProcess = fork(GENERATOR, [], { stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  return {
    run: (m) =>
      new Promise((resolve) => {
        child.once('message', (answer) => resolve(answer as Record<string, number | boolean | string>));
        child.send(m);
      }),
    stop: () => child.disconnect(),
  };
}

/** Records the marked statements the server sends (text and parameters), to hand them to pgbench. */
function recording(pool: PostgresPool, seen: { text: string; values: readonly unknown[] }[]): PostgresPool {
  return {
    end: () => pool.end(),
    connect: async () => {
      const client = await pool.connect();
      return {
        release: () => client.release(),
        query: ((text: unknown, values?: readonly unknown[]) => {
          if (typeof text === 'string' && text.startsWith(PREPARED)) seen.push({ text, values: values ?? [] });
          return (client.query as (t: unknown, v?: readonly unknown[]) => unknown)(text, values);
        }) as typeof client.query,
      };
    },
  };
}

const execFileAsync = promisify(execFile);

/** `pgbench -M prepared` with `clients` clients for `seconds` on `script`; its transactions per second. */
async function pgbench(url: string, script: string, vars: Record<string, string>, seconds: number): Promise<number> {
  const u = new URL(url);
  const args = [
    '-n',
    '-M',
    'prepared',
    '-c',
    String(PGBENCH_CLIENTS),
    '-j',
    String(PGBENCH_CLIENTS),
    '-T',
    String(seconds),
  ];
  args.push('-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username) || 'postgres', '-f', script);
  for (const [k, v] of Object.entries(vars)) args.push('-D', `${k}=${v}`);
  args.push(u.pathname.slice(1));
  const env = { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) };
  const { stdout } = await execFileAsync('pgbench', args, { env, maxBuffer: 1 << 20 });
  const tps = /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`pgbench printed no tps: ${stdout}`);
  return Number(tps[1]);
}

/**
 * A pgbench script running `text` with its `$n` parameters as pgbench variables `:pn` (set with
 * -D from `values`), except those `replace` maps to another expression.
 */
function pgbenchScript(
  text: string,
  values: readonly unknown[],
  replace: ReadonlyMap<number, string>,
): { sql: string; vars: Record<string, string> } {
  const vars: Record<string, string> = {};
  const sql = text.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n);
    const r = replace.get(i);
    if (r !== undefined) return r;
    const v = values[i - 1];
    vars[`p${i}`] = v instanceof Date ? v.toISOString() : String(v);
    return `:p${i}`;
  });
  return { sql: sql.replace(/\s*\n\s*/g, ' '), vars };
}

async function main(): Promise<void> {
  const database = await freshDatabase({ name: 'read-bench', schemas: testSchemas });
  database.pool.on('error', () => undefined);
  const seen: { text: string; values: readonly unknown[] }[] = [];
  const db = new Kysely<WorkspacesDatabase>({
    dialect: new PostgresDialect({ pool: recording(withNamedStatements(database.pool), seen) }),
  });
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
  const generator = await startGenerator();
  const scratch = await mkdtemp(path.join(tmpdir(), 'recon-read-bench-'));
  try {
    const ws = (await createWorkspace(db, { name: 'bench', now: new Date() })).id;
    const key = (await createApiKey(db, { workspaceId: ws, label: 'bench', now: new Date() })).key;
    const t0 = performance.now();
    await seedReadModels(database.pool, ws, LEADS, new Date());
    console.log(`seeded ${LEADS} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const auth = `Bearer ${key}`;

    const { rows: starts } = await database.pool.query<{ since: Date; lead_id: string; kind: string }>(
      `SELECT since, lead_id, kind FROM (SELECT since, lead_id, kind, row_number() OVER (ORDER BY since, lead_id, kind) AS n
         FROM mismatches WHERE workspace_id = $1 AND status = 'open' AND kind = $2) x WHERE n % greatest(1, (SELECT count(*) / 200 FROM mismatches WHERE workspace_id = $1 AND kind = $2)) = 0`,
      [ws, KIND],
    );
    const pageOf = (s: { since: Date; lead_id: string; kind: string }) =>
      `/v1/workspaces/${ws}/mismatches?kind=${KIND}&limit=50&cursor=${encodeCursor([s.since.toISOString(), s.lead_id, s.kind])}`;
    const mismatchRequests: Prepared[] = starts.map((s) => ({ method: 'GET', path: pageOf(s) }));
    const gateSets = Array.from({ length: 20 }, () =>
      Array.from({ length: 1000 }, () => `lead-${Math.floor(Math.random() * LEADS)}`),
    );
    const gateRequests: Prepared[] = gateSets.map((leadIds) => ({
      method: 'POST',
      path: `/v1/workspaces/${ws}/gates:query`,
      body: JSON.stringify({ leadIds }),
    }));
    const statsRequests: Prepared[] = [{ method: 'GET', path: `/v1/workspaces/${ws}/stats` }];

    // One request of each through the server: the statements pgbench will run.
    const first = starts[0]!;
    const probe = async (p: Prepared) => {
      const r = await fetch(`${url}${p.path}`, {
        method: p.method,
        headers: { authorization: auth, ...(p.body ? { 'content-type': 'application/json' } : {}) },
        ...(p.body ? { body: p.body } : {}),
      });
      if (r.status !== 200) throw new Error(`${p.path}: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    };
    seen.length = 0;
    await probe({ method: 'GET', path: pageOf(first) });
    const page = seen.find((s) => s.text.includes('FROM mismatches'));
    await probe(gateRequests[0]!);
    const gates = seen.find((s) => s.text.includes('automation_gates'));
    if (page === undefined || gates === undefined) throw new Error('the routes sent no marked statement');
    await probe(statsRequests[0]!);
    const statsSql = seen.find((s) => s.text.includes('FROM lead_lifecycle'));
    // The plans, for the log: each read on its partial index.
    for (const st of [page, gates, statsSql]) {
      if (st === undefined) continue;
      const client = await database.pool.connect();
      try {
        const literal = (v: unknown) =>
          client.escapeLiteral(
            v instanceof Date
              ? v.toISOString()
              : Array.isArray(v)
                ? `{${v.map((x) => JSON.stringify(String(x))).join(',')}}`
                : String(v),
          );
        // The generic plan: what a named statement runs once PostgreSQL stops planning per call.
        await client.query('SET plan_cache_mode = force_generic_plan');
        await client.query(`PREPARE explained AS ${st.text}`);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE explained(${st.values.map(literal).join(', ')})`,
        );
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
      } catch (error) {
        console.log(`no plan: ${String(error)}`);
      } finally {
        client.release(true);
      }
    }
    // The cursor: any key of the table, as the seed writes them (lead g opened its mismatch at 2030-02-01 + g s).
    const cursorAt = new Map<number, string>();
    page.values.forEach((v, i) => {
      if (v === first.since.toISOString())
        cursorAt.set(i + 1, `(timestamptz '2030-02-01 00:00:00+00' + :g * interval '1 second')`);
      if (v === first.lead_id) cursorAt.set(i + 1, `('lead-' || :g)`);
    });
    if (cursorAt.size !== 2) throw new Error('cursor parameters not found in the mismatch statement');
    const pageScript = pgbenchScript(page.text, page.values, cursorAt);
    const idsAt = gates.values.findIndex((v) => Array.isArray(v)) + 1;
    const gatesScript = pgbenchScript(gates.text, gates.values, new Map([[idsAt, ':ids']]));
    await database.pool.query('CREATE TABLE bench_gate_sets (i int PRIMARY KEY, ids text[] NOT NULL)');
    for (const [i, ids] of gateSets.entries())
      await database.pool.query('INSERT INTO bench_gate_sets VALUES ($1, $2)', [i + 1, ids]);
    const pageFile = path.join(scratch, 'mismatch-page.sql');
    await writeFile(pageFile, `\\set g random(0, ${LEADS - 1})\n${pageScript.sql};\n`);
    const gatesFile = path.join(scratch, 'gates.sql');
    await writeFile(
      gatesFile,
      `\\set i random(1, 20)\nSELECT ids FROM bench_gate_sets WHERE i = :i \\gset\n${gatesScript.sql};\n`,
    );

    const files = new Map<readonly Prepared[], string>();
    const requestsFile = async (prepared: readonly Prepared[], name: string) => {
      const file = path.join(scratch, `${name}.json`);
      await writeFile(file, JSON.stringify(prepared));
      files.set(prepared, file);
      return file;
    };
    const http = async (
      prepared: readonly Prepared[],
      seconds: number,
      o: { connections?: number; overallRate?: number } = {},
    ): Promise<HttpRound> => {
      const cpu0 = process.cpuUsage();
      const r = await generator.run({
        url,
        auth,
        requestsFile: files.get(prepared),
        connections: o.connections ?? CONNECTIONS,
        seconds,
        ...(o.overallRate === undefined ? {} : { overallRate: o.overallRate }),
      });
      if (r['ok'] !== true || Number(r['non2xx']) > 0 || Number(r['errors']) > 0 || Number(r['timeouts']) > 0)
        throw new Error(`http round failed: ${JSON.stringify(r)}`);
      const cpu = process.cpuUsage(cpu0);
      return {
        serverCpuUs: (cpu.user + cpu.system) / Number(r['ok2xx']),
        rate: Number(r['ok2xx']) / Number(r['seconds']),
        p50: Number(r['p50']),
        p99: Number(r['p99']),
        generatorCpu: Number(r['cpuSeconds']) / Number(r['seconds']),
      };
    };
    await requestsFile(mismatchRequests, 'mismatch');
    await requestsFile(gateRequests, 'gates');
    await requestsFile(statsRequests, 'stats');

    // Warm-up: JIT, caches, the statements prepared on every pooled connection.
    await http(mismatchRequests, 3);
    await pgbench(database.url, pageFile, pageScript.vars, 2);
    await http(gateRequests, 3);
    await pgbench(database.url, gatesFile, gatesScript.vars, 2);
    await http(statsRequests, 2, { connections: 4 });

    const mmHttp: HttpRound[] = [];
    const mmCeiling: number[] = [];
    const mmOpen: HttpRound[] = [];
    const gHttp: HttpRound[] = [];
    const gCeiling: number[] = [];
    const stats: HttpRound[] = [];
    const mmSeq: HttpRound[] = [];
    const statsSeq: HttpRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      mmHttp.push(await http(mismatchRequests, DURATION));
      mmCeiling.push(await pgbench(database.url, pageFile, pageScript.vars, DURATION));
      mmOpen.push(await http(mismatchRequests, DURATION, { overallRate: PAGE_RATE }));
      gHttp.push(await http(gateRequests, DURATION));
      gCeiling.push(await pgbench(database.url, gatesFile, gatesScript.vars, DURATION));
      stats.push(await http(statsRequests, DURATION, { overallRate: STATS_RATE }));
      // One connection: the service time without queueing behind other requests of the bench.
      mmSeq.push(await http(mismatchRequests, DURATION, { connections: 1 }));
      statsSeq.push(await http(statsRequests, DURATION, { connections: 1 }));
      console.log(
        `round ${round + 1}: page ${mmHttp.at(-1)?.rate.toFixed(0)} req/s (${mmHttp.at(-1)?.serverCpuUs.toFixed(0)} µs server CPU each) vs pgbench ${mmCeiling.at(-1)?.toFixed(0)} tps; open-loop p99 ${mmOpen.at(-1)?.p99} ms; gates ${gHttp.at(-1)?.rate.toFixed(0)} vs ${gCeiling.at(-1)?.toFixed(0)}; stats p99 ${stats.at(-1)?.p99} ms`,
      );
    }
    const med = (rs: readonly HttpRound[], k: keyof HttpRound) => median(rs.map((r) => r[k]));
    const mmRate = med(mmHttp, 'rate');
    const mmCeil = median(mmCeiling);
    const gRate = med(gHttp, 'rate');
    const gCeil = median(gCeiling);

    const { rows: v } = await database.pool.query<{ server_version: string }>('SHOW server_version');
    const cpu = cpus();
    const result = {
      bench: 'api-read',
      at: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${v[0]?.server_version ?? '?'}; ${LEADS} leads; server (buildApp, pg pool of ${database.pool.options.max ?? 10}, named statements) in the bench process; load generator (autocannon, keep-alive) in its own node process, using ${round2(med(mmHttp, 'generatorCpu'))} of a core during the closed-loop page rounds; ceiling pgbench -M prepared, ${PGBENCH_CLIENTS} clients, its own process, the route's recorded SQL (mismatch cursor a random key via :g; gate id sets by \\gset from a 20-row table); ${CONNECTIONS} connections closed-loop, ${DURATION} s per measurement, medians of ${ROUNDS} rounds (HTTP and pgbench alternating); server, generator, pgbench and PostgreSQL share the ${cpu.length} cores (${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"}): 1-min load average ${loadavg()[0]?.toFixed(1)} at the end`,
      figures: [
        {
          name: `mismatch page (50 rows) over HTTP, ${CONNECTIONS} connections → req/s, vs pgbench -M prepared running the same SQL`,
          value: Math.round(mmRate),
          unit: 'req/s',
          baseline: Math.round(mmCeil),
          ratio: round2(mmRate / mmCeil),
          goal: 0.5,
          goalKind: 'min',
        },
        {
          name: 'server CPU per mismatch page request (closed-loop rounds)',
          value: Math.round(med(mmHttp, 'serverCpuUs')),
          unit: 'µs',
        },
        {
          name: 'mismatch page latency p50, one connection (no queueing)',
          value: round2(med(mmSeq, 'p50')),
          unit: 'ms',
        },
        {
          name: 'mismatch page latency p99, one connection (no queueing)',
          value: round2(med(mmSeq, 'p99')),
          unit: 'ms',
        },
        {
          name: `mismatch page latency p50, ${CONNECTIONS} connections closed-loop`,
          value: round2(med(mmHttp, 'p50')),
          unit: 'ms',
        },
        {
          name: `mismatch page latency p99, ${CONNECTIONS} connections closed-loop`,
          value: round2(med(mmHttp, 'p99')),
          unit: 'ms',
        },
        {
          name: `mismatch page latency p50 at open-loop ${PAGE_RATE} req/s`,
          value: round2(med(mmOpen, 'p50')),
          unit: 'ms',
        },
        {
          name: `mismatch page latency p99 at open-loop ${PAGE_RATE} req/s`,
          value: round2(med(mmOpen, 'p99')),
          unit: 'ms',
          goal: 10,
          goalKind: 'max',
        },
        {
          name: `mismatch page achieved rate at open-loop ${PAGE_RATE} req/s`,
          value: Math.round(med(mmOpen, 'rate')),
          unit: 'req/s',
        },
        {
          name: `gates query (1,000 leads) over HTTP, ${CONNECTIONS} connections → req/s, vs pgbench -M prepared running the same SQL`,
          value: Math.round(gRate),
          unit: 'req/s',
          baseline: Math.round(gCeil),
          ratio: round2(gRate / gCeil),
          goal: 0.5,
          goalKind: 'min',
        },
        {
          name: 'server CPU per gates request (closed-loop rounds)',
          value: Math.round(med(gHttp, 'serverCpuUs')),
          unit: 'µs',
        },
        {
          name: `gates query latency p50, ${CONNECTIONS} connections closed-loop`,
          value: round2(med(gHttp, 'p50')),
          unit: 'ms',
        },
        {
          name: `gates query latency p99, ${CONNECTIONS} connections closed-loop`,
          value: round2(med(gHttp, 'p99')),
          unit: 'ms',
        },
        {
          name: `GET …/stats latency p50 at open-loop ${STATS_RATE} req/s`,
          value: round2(med(stats, 'p50')),
          unit: 'ms',
        },
        {
          name: `GET …/stats latency p99 at open-loop ${STATS_RATE} req/s`,
          value: round2(med(stats, 'p99')),
          unit: 'ms',
          goal: 20,
          goalKind: 'max',
        },
        {
          name: 'GET …/stats latency p50, one connection (no queueing)',
          value: round2(med(statsSeq, 'p50')),
          unit: 'ms',
        },
        {
          name: 'GET …/stats latency p99, one connection (no queueing)',
          value: round2(med(statsSeq, 'p99')),
          unit: 'ms',
        },
        {
          name: 'server CPU per GET …/stats request (open-loop rounds)',
          value: Math.round(med(stats, 'serverCpuUs')),
          unit: 'µs',
        },
      ],
    };
    const out = path.join(repoRoot, 'bench/results/api-read.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result.figures, null, 2));
  } finally {
    generator.stop();
    await app.close();
    await store.close();
    await database.drop();
    await stopLazyPostgresServer();
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
