/**
 * `pnpm --filter @recon/api bench`: signed Calendly webhooks over real HTTP → durable events/s and
 * p50/p99 latency, beside the ceiling for the same writes: raw single-event appends of the same
 * events by 8 writers, in alternating rounds of the same run (medians reported). The server under
 * test runs in this process; the load generator (autocannon, 8 keep-alive connections, a unique
 * signed invitee per request: webhook-load-generator.cjs) and the raw writers (raw-writers.ts) each
 * run in their OWN node process, so neither charges its CPU to the server's event loop.
 * Writes bench/results/ingest-webhooks.json at the repo root.
 * Env: BENCH_ROUNDS (default 3), BENCH_REQUESTS (per round, default 2000), BENCH_CONNECTIONS (8).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPostgresEventStore, START, type EventStore } from '@recon/eventstore';
import { freshDatabase, stopLazyPostgresServer } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import { createSecretBox, type WorkspacesDatabase } from '@recon/workspaces';
import { buildApp, createLogger } from '../src/index';
import { createSealingEventStore, createStreamKeyring } from '@recon/privacy';
import { CALENDLY_FIXTURE_KEY, fixturesDir, repoRoot } from '../test/testing/fixtures';
import { testSchemas } from '../src/testing/test-schemas';
import { ADMIN_TOKEN, SECRET_KEY } from '../test/testing/test-app';

const loadGeneratorFile = fileURLToPath(new URL('./webhook-load-generator.cjs', import.meta.url));
const rawWritersFile = fileURLToPath(new URL('./raw-writers.ts', import.meta.url));

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const requests = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 8);
const RAW_WRITERS = 8;
const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 50;

const median = (values: readonly number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round2 = (n: number) => Math.round(n * 100) / 100;

interface Measured {
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** A forked helper process that answers each message with one message. */
interface Helper {
  ask<T>(message: Record<string, unknown>): Promise<T>;
  stop(): void;
}

async function startHelper(file: string, env: Record<string, string>, execArgv: string[] = []): Promise<Helper> {
  const child: ChildProcess = fork(file, [], { env: { ...process.env, ...env }, execArgv, stdio: 'inherit' });
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${path.basename(file)} exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        resolve(m as Record<string, unknown>);
      });
    });
  await next(); // { ready: true }
  return {
    async ask<T>(message: Record<string, unknown>): Promise<T> {
      const answer = next();
      child.send(message);
      const result = await answer;
      if (result['ok'] !== true) throw new Error(`${path.basename(file)}: ${String(result['message'])}`);
      return result as T;
    },
    stop: () => child.disconnect(),
  };
}

interface LoadResult {
  seconds: number;
  cpuSeconds: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
}

async function httpRound(generator: Helper, url: string, count: number): Promise<Measured> {
  const cpu0 = process.cpuUsage();
  const r = await generator.ask<LoadResult>({ url, amount: count, connections: CONNECTIONS });
  const cpu = process.cpuUsage(cpu0);
  if (process.env['BENCH_VERBOSE'] !== undefined)
    console.log(
      `  server CPU ${(((cpu.user + cpu.system) / 1e6 / r.seconds) * 100).toFixed(0)}% of one core (${((cpu.user + cpu.system) / 1e3 / count).toFixed(2)} ms/request), generator ${((r.cpuSeconds / r.seconds) * 100).toFixed(0)}%`,
    );
  if (r.non2xx > 0 || r.errors > 0 || r.ok2xx !== count) {
    throw new Error(`webhook round failed: 2xx=${r.ok2xx} non2xx=${r.non2xx} errors=${r.errors}`);
  }
  return { eventsPerSecond: count / r.seconds, p50: r.p50, p99: r.p99 };
}

const rawRound = (writers: Helper, count: number, tag: string): Promise<Measured> => writers.ask({ count, tag });

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
  // As production composes it (openRuntime): the person fields of AppointmentBooked are sealed
  // under each booking stream's key, created on its first append.
  const streamKeys = createStreamKeyring({ db, box: createSecretBox(SECRET_KEY) });
  const store = createSealingEventStore(createPostgresEventStore({ connectionString: database.url }), streamKeys);
  const app = await buildApp({
    db,
    store,
    streamKeys,
    log: createLogger({ level: 'warn' }),
    config: {
      adminToken: ADMIN_TOKEN,
      secretKey: SECRET_KEY,
      calendlyToleranceSeconds: 3600,
      // A load test from one address into one workspace: the rate limits would measure themselves.
      rateLimits: { webhook: { max: 0 }, api: { max: 0 }, ip: { max: 0 } },
    },
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let generator: Helper | undefined;
  let writers: Helper | undefined;
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
    generator = await startHelper(loadGeneratorFile, {
      BENCH_FIXTURE: path.join(fixturesDir, 'calendly/invitee-created.json'),
      BENCH_KEY: CALENDLY_FIXTURE_KEY,
      BENCH_WS: ws,
    });
    writers = await startHelper(rawWritersFile, { DATABASE_URL: database.url, BENCH_WRITERS: String(RAW_WRITERS) }, [
      '--import',
      'tsx',
    ]);
    const url = `${address}/webhooks/calendly/${ws}`;
    await httpRound(generator, url, 300);
    await rawRound(writers, 300, 'warm');
    const http: Measured[] = [];
    const raw: Measured[] = [];
    for (let r = 0; r < rounds; r++) {
      if (r % 2 === 0) {
        raw.push(await rawRound(writers, requests, `raw-${r}`));
        http.push(await httpRound(generator, url, requests));
      } else {
        http.push(await httpRound(generator, url, requests));
        raw.push(await rawRound(writers, requests, `raw-${r}`));
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
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${version} on the same machine; server under test in the bench process composed as in production (the sealing event store of @recon/privacy around the PostgreSQL adapter), load generator (autocannon, ${CONNECTIONS} keep-alive connections) and the ${RAW_WRITERS} raw writers each in their own node process; 1-min/5-min/15-min load average at the end ${load} (${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"})`,
      figures: [
        {
          name: `signed Calendly webhooks over HTTP, ${CONNECTIONS} connections → durable events/s (baseline: raw single-event appends by ${RAW_WRITERS} writers)`,
          value: Math.round(httpRate),
          unit: 'events/s',
          baseline: Math.round(rawRate),
          ratio: round2(httpRate / rawRate),
          goal: GOAL_RATIO,
          goalKind: 'min',
        },
        { name: 'webhook latency p50', value: round2(median(http.map((m) => m.p50))), unit: 'ms' },
        {
          name: 'webhook latency p99',
          value: round2(median(http.map((m) => m.p99))),
          unit: 'ms',
          goal: GOAL_P99_MS,
          goalKind: 'max',
        },
        {
          name: `raw single-event appends of the same events, ${RAW_WRITERS} writers (own process, one commit each) → events/s`,
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
    generator?.stop();
    writers?.stop();
    await app.close();
    await store.close();
    await database.drop();
    await stopLazyPostgresServer();
  }
}

await main();
