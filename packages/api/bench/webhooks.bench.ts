/**
 * `pnpm --filter @recon/api bench`: signed Calendly webhooks over real HTTP (autocannon, 8
 * connections, a unique invitee per request) → durable events/s and p50/p99 latency, beside raw
 * appends of the same events to the same store by 8 concurrent writers, in alternating rounds of
 * the same run (medians reported). Writes bench/results/ingest-webhooks.json at the repo root.
 * Env: BENCH_ROUNDS (default 3), BENCH_REQUESTS (per round, default 2000).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresEventStore, START, type EventStore } from '@recon/eventstore';
import { freshDatabase, stopLazyPostgresServer } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { buildApp, createLogger } from '../src/index';
import { CALENDLY_FIXTURE_KEY, fixturesDir, repoRoot } from '../test/testing/fixtures';
import { testSchemas } from '../src/testing/test-schemas';
import { ADMIN_TOKEN, SECRET_KEY } from '../test/testing/test-app';
import { eventsFor, signedDelivery } from './webhook-deliveries';

const setupRequestFile = fileURLToPath(new URL('./setup-request.cjs', import.meta.url));

interface AutocannonResult {
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number };
  readonly duration: number;
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const requests = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 8);

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Measured {
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * The load generator runs in an autocannon worker thread (its own event loop), so its CPU is not
 * charged to the server's; the worker makes and signs a unique delivery per request.
 */
async function httpRound(url: string, ws: string, count: number): Promise<Measured> {
  process.env['BENCH_FIXTURE'] = path.join(fixturesDir, 'calendly/invitee-created.json');
  process.env['BENCH_KEY'] = CALENDLY_FIXTURE_KEY;
  process.env['BENCH_WS'] = ws;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: count,
    workers: 1,
    requests: [{ method: 'POST', path: `/webhooks/calendly/${ws}`, setupRequest: setupRequestFile }],
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (process.env['BENCH_VERBOSE'] !== undefined)
    console.log(`  process CPU ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)}% of one core`);
  if (result.non2xx > 0 || result.errors > 0 || result['2xx'] !== count) {
    throw new Error(`webhook round failed: 2xx=${result['2xx']} non2xx=${result.non2xx} errors=${result.errors}`);
  }
  return { eventsPerSecond: count / seconds, p50: result.latency.p50, p99: result.latency.p99 };
}

async function rawRound(store: EventStore, count: number, tag: string): Promise<Measured> {
  const observedAt = new Date().toISOString();
  const batches = Array.from({ length: count }, (_, i) =>
    eventsFor(signedDelivery(`${tag}-${i}`, CALENDLY_FIXTURE_KEY, 0).body, 'ws_raw_baseline', observedAt),
  );
  const latencies: number[] = [];
  let next = 0;
  let events = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const t0 = performance.now();
        const r = await store.append(b.stream, b.events, { expectedRevision: 'no_stream' });
        latencies.push(performance.now() - t0);
        if (!r.ok) throw new Error('raw append conflicted');
        events += b.events.length;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { eventsPerSecond: events / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function countEvents(store: EventStore, streamPrefix: string): Promise<number> {
  let from = START;
  let n = 0;
  for (;;) {
    const page = await store.readAll(from, 5000);
    n += page.events.filter((e) => e.streamName.startsWith(streamPrefix)).length;
    if (page.events.length === 0) return n;
    from = page.next;
  }
}

async function main(): Promise<void> {
  const database = await freshDatabase({ name: 'bench-webhooks', schemas: testSchemas });
  const db = new Kysely<WorkspacesDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  const store = createPostgresEventStore({ connectionString: database.url });
  const app = await buildApp({
    db,
    store,
    log: createLogger({ level: 'warn' }),
    config: {
      adminToken: ADMIN_TOKEN,
      secretKey: SECRET_KEY,
      calendlyToleranceSeconds: 3600,
      // A load test from one address into one workspace: the rate limits would measure themselves.
      rateLimits: { webhook: { max: 0 }, api: { max: 0 }, ip: { max: 0 } },
    },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const ws = (
      await app.inject({ method: 'POST', url: '/v1/workspaces', headers: auth, payload: { name: 'bench' } })
    ).json<{ id: string }>().id;
    await app.inject({
      method: 'PUT',
      url: `/v1/workspaces/${ws}/providers/calendly`,
      headers: auth,
      payload: {
        accessToken: 'bench',
        organizationUri: 'https://api.calendly.com/organizations/bench',
        webhookSigningKey: CALENDLY_FIXTURE_KEY,
      },
    });
    const version =
      (await database.pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    console.log(`PostgreSQL ${version}; ${rounds} rounds of ${requests} requests, ${CONNECTIONS} connections`);
    await httpRound(url, ws, 300);
    await rawRound(store, 300, 'warm');
    const http: Measured[] = [];
    const raw: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        raw.push(await rawRound(store, requests, `raw-${r}`));
        http.push(await httpRound(url, ws, requests));
      } else {
        http.push(await httpRound(url, ws, requests));
        raw.push(await rawRound(store, requests, `raw-${r}`));
      }
      console.log(
        `round ${r + 1}: http ${Math.round(http.at(-1)!.eventsPerSecond)} ev/s (p50 ${http.at(-1)!.p50} ms, p99 ${http.at(-1)!.p99} ms), raw ${Math.round(raw.at(-1)!.eventsPerSecond)} ev/s`,
      );
    }
    const durable = await countEvents(store, `appointment-calendly-${ws}-`);
    const expected = 300 + rounds * requests;
    if (durable !== expected) throw new Error(`expected ${expected} durable events, found ${durable}`);
    const httpRate = median(http.map((m) => m.eventsPerSecond));
    const rawRate = median(raw.map((m) => m.eventsPerSecond));
    const cpu = cpus();
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    const result = {
      bench: 'ingest-webhooks',
      at: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${version}; load generator in an autocannon worker thread of the same process; load average at the end ${load} (machine shared with other work)`,
      figures: [
        {
          name: `signed Calendly webhooks over HTTP, ${CONNECTIONS} connections → durable events/s`,
          value: Math.round(httpRate),
          unit: 'events/s',
          baseline: Math.round(rawRate),
          ratio: round2(httpRate / rawRate),
          goal: 0.6,
        },
        { name: 'webhook latency p50', value: round2(median(http.map((m) => m.p50))), unit: 'ms' },
        { name: 'webhook latency p99', value: round2(median(http.map((m) => m.p99))), unit: 'ms', goal: 50 },
        {
          name: `raw append of the same events, ${CONNECTIONS} writers → events/s`,
          value: Math.round(rawRate),
          unit: 'events/s',
        },
        { name: 'raw append latency p50', value: round2(median(raw.map((m) => m.p50))), unit: 'ms' },
        { name: 'raw append latency p99', value: round2(median(raw.map((m) => m.p99))), unit: 'ms' },
      ],
    };
    const out = path.join(repoRoot, 'bench/results/ingest-webhooks.json');
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
