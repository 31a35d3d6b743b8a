/**
 * `pnpm --filter @recon/cli bench` (issue 11 soak): `recon start` as a child process on a fresh
 * database of the server in DATABASE_URL, a workspace with Calendly, and signed Calendly webhooks
 * from a load generator in its own process (soak-load.ts) at ~80 % of the rate the ingest bench
 * reached, open-loop, for SOAK_SECONDS (default 300). At 1/3 and 2/3 of the run every session of
 * recon's database is terminated. Every second this process samples recon's resident memory
 * (/proc/<pid>/status VmRSS), its CPU and /metrics (projection lag, oldest transaction on the
 * server); the generator measures projection lag (2xx answer → read with `?minPosition=` answers
 * 200) for every Nth delivery. Writes bench/results/soak.json and prints a table per 30 s.
 *
 * Env: SOAK_SECONDS (300), SOAK_RATE (default 80 % of bench/results/ingest-webhooks.json),
 * SOAK_PROBES_PER_SECOND (5), SOAK_KILL_WINDOW_SECONDS (10), SOAK_LOG_LEVEL (recon's, warn),
 * SOAK_EMBEDDED=1 (a dedicated embedded PostgreSQL server instead of DATABASE_URL's: the event
 * store's fence is cluster-wide, so other work's transactions on a shared server hold recon's
 * projections back), SOAK_NOTE (written to the JSON as `note`).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, waitFor, type EmbeddedPostgresServer } from '@recon/testkit';
import { CALENDLY_SIGNING_KEY } from '../src/faults/testing/fault-deliveries';
import {
  FaultWorld,
  ADMIN_TOKEN,
  CRON_SECRET,
  SECRET_KEY,
  http,
  setupWorkspace,
  type FaultRecon,
} from '../src/faults/testing/faults-harness';
import { createGhlSigner } from '@recon/simulators';
import { freePort } from '../src/runtime/free-port';
import { childEnv, repoRoot, spawnRecon } from '../src/testing/recon-process';
import { sampleProcess, scrapeMetrics } from './soak-sampler';
import {
  countBy,
  inAnyWindow,
  lagMs,
  median,
  percentile,
  round1,
  rssGrowth,
  rssSlopeMbPerMin,
  series,
  seriesTable,
} from './soak-stats';
import type { DeliveryRecord, Kill, LagRecord, Sample, Window } from './soak-stats';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 300);
const PROBES_PER_SECOND = Number(process.env['SOAK_PROBES_PER_SECOND'] ?? 5);
const KILL_WINDOW_MS = Number(process.env['SOAK_KILL_WINDOW_SECONDS'] ?? 10) * 1000;
const LOG_LEVEL = process.env['SOAK_LOG_LEVEL'] ?? 'warn';
const EMBEDDED = process.env['SOAK_EMBEDDED'] === '1';
const PROBE_LEAD = 'soak-probe';
const loadScript = fileURLToPath(new URL('./soak-load.ts', import.meta.url));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** 80 % of the webhook rate bench/results/ingest-webhooks.json recorded (SOAK_RATE overrides). */
async function targetRate(): Promise<{ rate: number; ingestRate: number | null }> {
  let ingestRate: number | null = null;
  try {
    const ingest = JSON.parse(await readFile(path.join(repoRoot, 'bench/results/ingest-webhooks.json'), 'utf8')) as {
      figures: { name: string; value: number; unit: string }[];
    };
    ingestRate =
      ingest.figures.find((f) => f.unit === 'events/s' && f.name.includes('webhooks over HTTP'))?.value ?? null;
  } catch {
    ingestRate = null;
  }
  const fromEnv = process.env['SOAK_RATE'];
  return { rate: fromEnv !== undefined ? Number(fromEnv) : Math.round((ingestRate ?? 300) * 0.8), ingestRate };
}

async function main(): Promise<void> {
  const loadAtStart = load();
  const { rate, ingestRate } = await targetRate();
  const embedded: EmbeddedPostgresServer | null = EMBEDDED ? await startEmbeddedPostgres() : null;
  const world = await FaultWorld.createOn(
    embedded?.url ?? process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    'soak',
  );
  const dataDir = await mkdtemp(path.join(tmpdir(), 'recon-soak-'));
  const port = await freePort();
  const proc = spawnRecon(
    ['start'],
    childEnv({
      DATABASE_URL: world.database.url,
      RECON_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL,
      RECON_ADMIN_TOKEN: ADMIN_TOKEN,
      RECON_SECRET_KEY: SECRET_KEY,
      CRON_SECRET,
      // The provider settings name loopback http addresses: private addresses allowed, explicitly.
      RECON_ALLOW_PRIVATE_URLS: '1',
      // One load generator address and one workspace: the rate limits are not what this bench measures.
      RECON_RATE_LIMIT_WEBHOOK_MAX: '0',
      RECON_RATE_LIMIT_API_MAX: '0',
      RECON_RATE_LIMIT_IP_MAX: '0',
    }),
  );
  const recon: FaultRecon = {
    proc,
    url: `http://127.0.0.1:${port}`,
    port,
    assertAlive() {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null)
        throw new Error(`recon exited: ${proc.stderr.slice(-8).join('\n')}`);
    },
  };
  let exits = 0;
  let stopping = false;
  proc.child.once('exit', (code, signal) => {
    if (!stopping) exits++;
    if (!stopping)
      console.error(
        `recon exited during the soak (code ${code}, signal ${signal}):\n${proc.stderr.slice(-15).join('\n')}`,
      );
  });
  try {
    await waitFor(
      async () => {
        recon.assertAlive();
        return (await http(recon.url, 'GET', '/readyz')).status === 200;
      },
      { timeoutMs: 120_000, intervalMs: 250, description: 'recon ready' },
    );
    const { ws, key } = await setupWorkspace(recon, createGhlSigner().publicKeyPem, CALENDLY_SIGNING_KEY);
    const lead = await http(recon.url, 'PUT', `/v1/workspaces/${ws}/leads/${PROBE_LEAD}`, {
      token: key,
      body: { email: 'soak.probe@soak.example' },
    });
    if (lead.status !== 201) throw new Error(`probe lead not created: ${lead.status}`);
    const version = await world.admin(
      async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?',
    );
    const probeEvery = Math.max(1, Math.round(rate / PROBES_PER_SECOND));
    console.log(
      `soak: ${SECONDS} s at ${rate} deliveries/s (${process.env['SOAK_RATE'] !== undefined ? 'SOAK_RATE' : `80 % of ${ingestRate ?? '?'}`}), a lag probe every ${probeEvery}th, kills at 1/3 and 2/3; db ${world.dbName}; load ${loadAtStart}`,
    );

    // The load generator, in its own process.
    const deliveries: DeliveryRecord[] = [];
    const lags: LagRecord[] = [];
    const run: { done: { started: number; loadEnded: number; sent: number } | null } = { done: null };
    const kills: Kill[] = [];
    const killTimers: NodeJS.Timeout[] = [];
    // At 1/3 and 2/3 of the load, every session of recon's database is ended (as a failover does).
    const scheduleKills = (loadStarted: number) => {
      for (const f of [1 / 3, 2 / 3]) {
        killTimers.push(
          setTimeout(
            () => {
              const at = Date.now();
              void world.terminateSessions().then((sessions) => {
                kills.push({ at, sessions });
                console.log(
                  `session kill at ${Math.round((at - loadStarted) / 1000)} s: ${sessions} sessions terminated`,
                );
              });
            },
            loadStarted + SECONDS * 1000 * f - Date.now(),
          ),
        );
      }
    };
    const generator = spawn(process.execPath, ['--import', 'tsx', loadScript], {
      cwd: path.dirname(loadScript),
      env: {
        ...process.env,
        SOAK_URL: recon.url,
        SOAK_WS: ws,
        SOAK_API_KEY: key,
        SOAK_SIGNING_KEY: CALENDLY_SIGNING_KEY,
        SOAK_PROBE_LEAD: PROBE_LEAD,
        SOAK_RATE: String(rate),
        SOAK_SECONDS: String(SECONDS),
        SOAK_PROBE_EVERY: String(probeEvery),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    generator.stdout.setEncoding('utf8');
    generator.stdout.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        const m = JSON.parse(line) as {
          k: string;
          d?: [number, number, number][];
          l?: [number, number | null][];
          started?: number;
          loadEnded?: number;
          sent?: number;
        };
        if (m.k === 'batch') {
          for (const [s, e, st] of m.d ?? []) deliveries.push({ s, e, st });
          for (const [a, v] of m.l ?? []) lags.push({ a, v });
        } else if (m.k === 'start') scheduleKills(m.started!);
        else if (m.k === 'done') run.done = { started: m.started!, loadEnded: m.loadEnded!, sent: m.sent! };
      }
    });
    const generatorExit = new Promise<number | null>((resolve) => generator.once('exit', (code) => resolve(code)));
    const started = Date.now();

    // Sampler (every second) and the two session kills.
    const samples: Sample[] = [];
    let previousCpu: { t: number; ticks: number } | null = null;
    let metrics: { lagS: number | null; oldestTxS: number | null } = { lagS: null, oldestTxS: null };
    let scraping = false;
    const sampler = setInterval(() => {
      const t = Date.now();
      const p = proc.child.pid === undefined ? null : sampleProcess(proc.child.pid);
      const cpuPct =
        p !== null && previousCpu !== null
          ? ((p.cpuTicks - previousCpu.ticks) / 100 / ((t - previousCpu.t) / 1000)) * 100
          : null;
      if (p !== null) previousCpu = { t, ticks: p.cpuTicks };
      samples.push({ t, rssMb: p?.rssMb ?? null, cpuPct, metricsLagS: metrics.lagS, oldestTxS: metrics.oldestTxS });
      if (!scraping) {
        scraping = true;
        void scrapeMetrics(recon.url).then((m) => {
          metrics = m;
          scraping = false;
        });
      }
    }, 1000);
    const progress = setInterval(
      () =>
        console.log(
          `  ${Math.round((Date.now() - started) / 1000)} s: ${deliveries.length} answered, rss ${samples.at(-1)?.rssMb ?? '-'} MB, load ${load()}`,
        ),
      30_000,
    );
    const reconExit = proc.exited().then(() => 'exit' as const);
    const outcome = await Promise.race([generatorExit.then(() => 'done' as const), reconExit]);
    if (outcome === 'exit' && generator.exitCode === null) generator.kill('SIGTERM');
    await generatorExit;
    clearInterval(sampler);
    clearInterval(progress);
    for (const t of killTimers) clearTimeout(t);
    const loadAtEnd = load();
    // A graceful stop after the soak: exit code and how long it took.
    stopping = true;
    const stopStarted = Date.now();
    const sigtermExit =
      proc.child.exitCode === null && proc.child.signalCode === null
        ? await proc.stop('SIGTERM', 40_000).catch(() => 'no exit within 40 s')
        : 'already exited';
    const stopMs = Date.now() - stopStarted;
    if (sigtermExit !== 0)
      console.error(
        `recon's SIGTERM stop ended with ${sigtermExit}:\n${[...proc.stdout.slice(-10), ...proc.stderr.slice(-10)].join('\n')}`,
      );

    const runStart = run.done?.started ?? started;
    const loadEnd = run.done?.loadEnded ?? Date.now();
    const windows: Window[] = kills.map((k) => ({ from: k.at, to: k.at + KILL_WINDOW_MS }));
    const warmupEnd = runStart + Math.min(60_000, SECONDS * 200);
    const ok = (st: number) => st >= 200 && st < 300;
    const outside = deliveries.filter((d) => !inAnyWindow(d.s, d.e, windows));
    const lagOut = lags.filter((l) => l.v !== null && !inAnyWindow(l.a, l.v, windows)).map((l) => lagMs(l)!);
    const lagIn = lags.filter((l) => l.v !== null && inAnyWindow(l.a, l.v, windows)).map((l) => lagMs(l)!);
    const growth = rssGrowth(samples, warmupEnd, loadEnd);
    const rssAfterWarmup = samples.filter((s) => s.t >= warmupEnd && s.rssMb !== null).map((s) => s.rssMb!);
    const delivered = deliveries.filter((d) => ok(d.st)).length;
    const webhookMs = outside.filter((d) => ok(d.st)).map((d) => d.e - d.s);
    const rows = series(runStart, loadEnd, 30_000, { deliveries, lags, samples, kills });
    const errorLines = countBy(
      proc.logs().filter((l) => typeof l['level'] === 'number' && (l['level'] as number) >= 50),
      (l) => String(l['msg']),
    );
    const cpu = cpus();
    const result = {
      bench: 'soak',
      at: new Date().toISOString(),
      machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, PostgreSQL ${version} (${EMBEDDED ? 'dedicated embedded server, fsync=off' : "DATABASE_URL's server"}); recon child process (\`recon start\`, every role, LOG_LEVEL=${LOG_LEVEL}), load generator in its own process, sampler in the bench process; ${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"}; load average (1/5/15 min) at start ${loadAtStart}, at end ${loadAtEnd}`,
      figures: [
        { name: 'rss_growth_after_warmup_pct', value: round1(growth.pct), unit: '%', goal: 10, goalKind: 'max' },
        { name: 'rss_mb_p50', value: round1(median(rssAfterWarmup)), unit: 'MB' },
        {
          name: 'rss_mb_max',
          value: round1(rssAfterWarmup.length > 0 ? Math.max(...rssAfterWarmup) : null),
          unit: 'MB',
        },
        { name: 'rss_slope_after_warmup', value: round1(rssSlopeMbPerMin(samples, warmupEnd)), unit: 'MB/min' },
        { name: 'lag_p50_ms', value: round1(percentile(lagOut, 50)), unit: 'ms' },
        { name: 'lag_p99_ms', value: round1(percentile(lagOut, 99)), unit: 'ms', goal: 250, goalKind: 'max' },
        { name: 'lag_p99_ms_kill_windows', value: round1(percentile(lagIn, 99)), unit: 'ms' },
        { name: 'lag_samples', value: lagOut.length + lagIn.length, unit: 'probes' },
        {
          name: 'lag_never_visible',
          value: lags.filter((l) => l.v === null).length,
          unit: 'probes',
          goal: 0,
          goalKind: 'max',
        },
        { name: 'webhook_latency_p50_ms', value: round1(percentile(webhookMs, 50)), unit: 'ms' },
        { name: 'webhook_latency_p99_ms', value: round1(percentile(webhookMs, 99)), unit: 'ms' },
        { name: 'deliveries_sent', value: run.done?.sent ?? deliveries.length, unit: 'deliveries' },
        { name: 'deliveries_2xx', value: delivered, unit: 'deliveries' },
        {
          name: 'http_5xx_outside_kill_windows',
          value: outside.filter((d) => d.st >= 500).length,
          unit: 'responses',
          goal: 0,
          goalKind: 'max',
        },
        {
          name: 'http_500',
          value: deliveries.filter((d) => d.st === 500).length,
          unit: 'responses',
          goal: 0,
          goalKind: 'max',
        },
        {
          name: 'transport_errors',
          value: deliveries.filter((d) => d.st === 0).length,
          unit: 'requests',
          goal: 0,
          goalKind: 'max',
        },
        { name: 'process_exits', value: exits, unit: 'exits', goal: 0, goalKind: 'max' },
        {
          name: 'recon_cpu_pct_p50',
          value: round1(median(samples.filter((x) => x.cpuPct !== null).map((x) => x.cpuPct!))),
          unit: '% of one core',
        },
        {
          name: 'achieved_rate',
          value: round1(delivered / ((loadEnd - runStart) / 1000)),
          unit: 'events/s',
          baseline: rate,
          ratio: round1(delivered / ((loadEnd - runStart) / 1000) / rate),
        },
      ],
      ...(process.env['SOAK_NOTE'] !== undefined ? { note: process.env['SOAK_NOTE'] } : {}),
      config: {
        seconds: SECONDS,
        targetRate: rate,
        rateFrom: process.env['SOAK_RATE'] !== undefined ? 'SOAK_RATE' : '80 % of bench/results/ingest-webhooks.json',
        ingestBenchRate: ingestRate,
        probeEvery,
        killWindowSeconds: KILL_WINDOW_MS / 1000,
        warmupSeconds: (warmupEnd - runStart) / 1000,
      },
      definitions: {
        lag: '2xx answer of a sampled delivery → first read `GET /v1/workspaces/:ws/leads/:id?minPosition=<the answer position>` answering 200 (every projection past it; the read polls checkpoints every 25 ms)',
        killWindow: `${KILL_WINDOW_MS / 1000} s from each pg_terminate_backend of every session of recon's database; a delivery or probe counts inside when its interval overlaps a window`,
        rssGrowth:
          'median VmRSS of the 15 s after warm-up → median of the last 15 s of load; warm-up = min(60 s, 20 % of the run)',
      },
      kills: kills.map((k) => {
        const after = deliveries.filter((d) => d.s >= k.at && ok(d.st));
        const visible = lags.filter((l) => l.a >= k.at && l.v !== null);
        return {
          atS: Math.round((k.at - runStart) / 1000),
          sessionsTerminated: k.sessions,
          firstAcceptedAfterMs: after.length > 0 ? Math.min(...after.map((d) => d.e - k.at)) : null,
          firstProbeVisibleAfterMs: visible.length > 0 ? Math.min(...visible.map((l) => l.v! - k.at)) : null,
          statusesInWindow: countBy(
            deliveries.filter((d) => inAnyWindow(d.s, d.e, [{ from: k.at, to: k.at + KILL_WINDOW_MS }])),
            (d) => String(d.st),
          ),
        };
      }),
      statusesOutsideKillWindows: countBy(outside, (d) => String(d.st)),
      reconErrorLogLines: errorLines,
      sigtermAfterSoak: { exit: sigtermExit, ms: stopMs },
      series: rows,
    };
    console.log(seriesTable(rows));
    const out = path.join(repoRoot, 'bench/results/soak.json');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      JSON.stringify({ figures: result.figures, kills: result.kills, reconErrorLogLines: errorLines }, null, 2),
    );
  } finally {
    stopping = true;
    if (proc.child.exitCode === null && proc.child.signalCode === null)
      await proc.stop('SIGKILL', 5_000).catch(() => undefined);
    world.running.push(recon);
    await world.close();
    await embedded?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
