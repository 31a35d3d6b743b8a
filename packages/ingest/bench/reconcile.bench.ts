/**
 * Reconciliation benchmark (issues 7 and 16). The GHL simulator runs in its own node process
 * (keep-alive longer than any gap between requests) with GHL's burst limit enforced exactly
 * (default 100 requests / 10 s per location, sliding window, 429 beyond it).
 * - Throughput scenarios (`label:leads:workspaces`): reconcile many leads over many workspaces,
 *   one GHL location each, through the real tick (leases, fair passes, limiters, PostgreSQL event
 *   store). Figures: requests used vs the allowance over the run (goal ≥ 90 %), 429s (goal 0), max
 *   requests accepted in any window per location (≤ the limit), leads/min per location vs the
 *   limit's rate, and wall time vs the limit's lower bound (requests per location ÷ allowed rate).
 * - Age: the median time of one check of a lead with 200 earlier checks vs one with 1 (goal
 *   ≤ 1.5 ×), both checked before in this process (the steady state of a running reconciler),
 *   interleaved one at a time under a limit high enough never to wait; the first check of an aged
 *   lead in a fresh process (no snapshot: it folds all 200) and the same checks with no snapshot at
 *   all (how every check folded before issue 16) are reported for comparison.
 * Env: BENCH_SCENARIOS (`full:10000:50,paced:1000:5`), BENCH_GHL_MAX (100), BENCH_GHL_WINDOW_MS
 * (10000), BENCH_LEAD_CONCURRENCY (6), BENCH_BOOKED_SHARE (0.3), BENCH_AGE_LEADS (40),
 * BENCH_AGE_CHECKS (200). Uses DATABASE_URL (default the local server) for fresh databases; writes
 * bench/results/reconcile.json at the repo root.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { leadStreamName } from '@recon/domain';
import { startGhlSimulatorProcess } from '@recon/simulators';
import { sql } from 'kysely';
import { applyLeadBatch } from '../src/leads/apply-lead-batch';
import { leadFoldCache } from '../src/reconcile/lead-fold-cache';
import { reconcileLead } from '../src/reconcile/reconcile-lead';
import { startHarness } from '../src/reconcile/testing/reconcile-harness';
import { runReconcileTick } from '../src/scheduler/run-reconcile-tick';
import type { BenchFigure } from '@recon/testkit';

process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const num = (k: string, d: number) => (process.env[k] === undefined ? d : Number(process.env[k]));
const GHL_MAX = num('BENCH_GHL_MAX', 100);
const WINDOW_MS = num('BENCH_GHL_WINDOW_MS', 10_000);
const LEAD_CONCURRENCY = num('BENCH_LEAD_CONCURRENCY', 6);
const BOOKED_SHARE = num('BENCH_BOOKED_SHARE', 0.3);
const AGE_LEADS = num('BENCH_AGE_LEADS', 40);
const AGE_CHECKS = num('BENCH_AGE_CHECKS', 200);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

async function seedLeads(
  h: Awaited<ReturnType<typeof startHarness>>,
  workspaceId: string,
  leads: readonly { leadId: string; ghlContactId: string }[],
): Promise<void> {
  for (let i = 0; i < leads.length; i += 1000) {
    const r = await applyLeadBatch(
      { db: h.db, store: h.store, hashEmail: h.deps.hashEmail, clock: h.deps.clock },
      workspaceId,
      leads.slice(i, i + 1000),
    );
    if (!r.ok) throw new Error(`seed failed: ${r.code}`);
  }
}

/** One run: `LEADS` leads over `WORKSPACES` workspaces (one GHL location each), reconciled by ticks until none is due. */
async function scenario(
  label: string,
  LEADS: number,
  WORKSPACES: number,
): Promise<{ figures: BenchFigure[]; settings: Record<string, unknown>; pg: string }> {
  const sim = await startGhlSimulatorProcess({
    rateLimit: { maxRequests: GHL_MAX, windowMs: WINDOW_MS, dailyMax: 1e7 },
  });
  const h = await startHarness({
    name: 'reconcile-bench',
    ghlProcess: sim,
    simulators: false,
    leadLookup: 'projections',
    ghlSimLimit: { maxRequests: GHL_MAX, windowMs: WINDOW_MS },
    poolSize: num('BENCH_POOL', 20),
    requestTimeoutMs: 30_000,
  });
  try {
    const perWs = Math.ceil(LEADS / WORKSPACES);
    const spaces: { id: string; locationId: string }[] = [];
    const t0 = Date.now();
    for (let w = 0; w < WORKSPACES; w++) {
      const ws = await h.createWorkspace({ name: `Bench ${w}`, calendly: false });
      spaces.push(ws);
      await seedLeads(
        h,
        ws.id,
        Array.from({ length: perWs }, (_, i) => ({
          leadId: `lead-${String(i).padStart(5, '0')}`,
          ghlContactId: `${ws.locationId}-c${i}`,
        })),
      );
      const booked = [];
      for (let i = 0; i < perWs; i++)
        if ((i * 7919) % 100 < BOOKED_SHARE * 100)
          booked.push({
            locationId: ws.locationId,
            contactId: `${ws.locationId}-c${i}`,
            startTime: Date.now() + ((i % 30) + 1) * 86_400_000,
          });
      await sim.addAppointments(booked);
    }
    console.log(
      `${label}: seeded ${perWs * WORKSPACES} leads over ${WORKSPACES} workspaces in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    await sim.resetStats();

    const started = Date.now();
    const cpu0 = process.cpuUsage();
    const summaries = [];
    for (;;) {
      const s = await runReconcileTick(h.deps, {
        maxLeads: LEADS * 2,
        timeBudgetMs: 3_600_000,
        concurrency: WORKSPACES,
        leadConcurrency: LEAD_CONCURRENCY,
        scanDaysAhead: 0,
      });
      summaries.push(s);
      console.log(JSON.stringify(s));
      if (s.remaining === 0 || s.leadsChecked === 0) break;
    }
    const wallMs = Date.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(
      `${label}: reconciler process CPU ${Math.round(cpuMs)} ms over ${wallMs} ms wall (${((cpuMs / wallMs) * 100).toFixed(0)} %)`,
    );
    const checked = summaries.reduce((n, s) => n + s.leadsChecked, 0);
    const failures = summaries.reduce((n, s) => n + s.failures, 0);
    const events = summaries.reduce((n, s) => n + s.eventsAppended, 0);
    const stats = await sim.stats(spaces.map((s) => s.locationId));
    const perLocation = stats.accounts.map((a) => a.accepted);
    const maxInWindow = Math.max(...stats.accounts.map((a) => a.maxAcceptedInWindow));
    const allowance = WORKSPACES * GHL_MAX * (wallMs / WINDOW_MS);
    const lowerBoundMs = (Math.max(...perLocation) / GHL_MAX) * WINDOW_MS;
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM reconcile_leads WHERE last_success_at IS NOT NULL`.execute(h.db);
    const { rows: pg } = await sql<{ v: string }>`SELECT version() AS v`.execute(h.db);
    const failedCodes: Record<string, number> = {};
    for (const e of await h.events((x) => x.type === 'LeadProviderChecked')) {
      const o = (e.data as { outcome: { kind: string; code?: string } }).outcome;
      if (o.kind === 'failed' && o.code) failedCodes[o.code] = (failedCodes[o.code] ?? 0) + 1;
    }
    console.log(label, 'failed checks by code', JSON.stringify(failedCodes));
    const perMin = checked / WORKSPACES / (wallMs / 60_000);
    const limitPerMin = GHL_MAX * (60_000 / WINDOW_MS);
    const figures: BenchFigure[] = [
      { name: 'leads checked', value: checked, unit: 'leads', goal: LEADS, goalKind: 'min' },
      {
        name: 'leads with a successful check',
        value: Number(rows[0]?.n ?? 0),
        unit: 'leads',
        goal: LEADS,
        goalKind: 'min',
      },
      {
        name: 'GHL requests used vs allowance over the run',
        value: round((stats.accepted / allowance) * 100),
        unit: '%',
        goal: 90,
        goalKind: 'min',
      },
      {
        name: 'GHL 429 responses (simulator limit hit)',
        value: stats.rateLimitRejections,
        unit: 'count',
        goal: 0,
        goalKind: 'max',
      },
      {
        name: 'max GHL requests accepted in any window, one location',
        value: maxInWindow,
        unit: `requests / ${WINDOW_MS} ms`,
        goal: GHL_MAX,
        goalKind: 'max',
      },
      {
        name: 'leads per minute per location',
        value: round(perMin),
        unit: 'leads/min',
        baseline: round(limitPerMin),
        ratio: round(perMin / limitPerMin, 2),
      },
      {
        name: 'wall time vs the limit lower bound',
        value: round(wallMs / 1000),
        unit: 's',
        baseline: round(lowerBoundMs / 1000),
        ratio: round(lowerBoundMs / wallMs, 2),
        goal: 0.9,
        goalKind: 'min',
      },
      { name: 'GHL requests accepted', value: stats.accepted, unit: 'requests' },
      { name: 'events appended', value: events, unit: 'events' },
      { name: 'lead failures', value: failures, unit: 'leads', goal: 0, goalKind: 'max' },
    ];
    return {
      figures: figures.map((f) => ({ ...f, name: `${label}: ${f.name}` })),
      settings: {
        leads: perWs * WORKSPACES,
        workspaces: WORKSPACES,
        ghlLimit: `${GHL_MAX} / ${WINDOW_MS} ms per location`,
        leadConcurrency: LEAD_CONCURRENCY,
        bookedShare: BOOKED_SHARE,
        wallMs,
        reconcilerCpuMs: Math.round(cpuMs),
        failedChecksByCode: failedCodes,
      },
      pg: pg[0]?.v.split(' on ')[0] ?? 'PostgreSQL',
    };
  } finally {
    await h.close();
    await sim.close();
  }
}

/** The cost of a check vs the lead's age (earlier `LeadProviderChecked` events on its stream). */
async function ageScenario(): Promise<{ figures: BenchFigure[]; settings: Record<string, unknown> }> {
  const limit = { maxRequests: 1_000_000, windowMs: 10_000, dailyMax: 1e9 };
  const sim = await startGhlSimulatorProcess({ rateLimit: limit });
  const h = await startHarness({
    name: 'reconcile-bench-age',
    ghlProcess: sim,
    simulators: false,
    leadLookup: 'projections',
    ghlSimLimit: limit,
    poolSize: 10,
    requestTimeoutMs: 30_000,
  });
  try {
    const ws = await h.createWorkspace({ name: 'Age', calendly: false });
    const young = Array.from({ length: AGE_LEADS }, (_, i) => ({ leadId: `young-${i}`, ghlContactId: `y${i}` }));
    const old = Array.from({ length: AGE_LEADS }, (_, i) => ({ leadId: `old-${i}`, ghlContactId: `o${i}` }));
    await seedLeads(h, ws.id, [...young, ...old]);
    // Booked leads on both sides (an appointment stream in the fold too).
    await sim.addAppointments(
      [...young, ...old]
        .filter((_, i) => i % 3 === 0)
        .map((l) => ({ locationId: ws.locationId, contactId: l.ghlContactId, startTime: Date.now() + 7 * 86_400_000 })),
    );
    // The history of an aged lead: AGE_CHECKS - 1 earlier rounds recorded as the checks record them.
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    for (const l of old) {
      const stream = leadStreamName(ws.id, l.leadId);
      const events = Array.from({ length: AGE_CHECKS - 1 }, (_, k) => ({
        id: randomUUID(),
        type: 'LeadProviderChecked',
        data: {
          workspaceId: ws.id,
          leadId: l.leadId,
          provider: 'ghl',
          outcome: { kind: 'none' },
          checkedAt: new Date(base + k * 3_600_000).toISOString(),
        },
      }));
      const r = await h.store.append(stream, events, { expectedRevision: 0n });
      if (!r.ok) throw new Error('age seed failed');
    }
    const check = async (leadId: string) => {
      const t = process.hrtime.bigint();
      const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId, source: 'poller' });
      if (!r.ok) throw new Error(`check failed: ${r.code}`);
      return Number(process.hrtime.bigint() - t) / 1e6;
    };
    // Round 1 makes a young lead's earlier checks 1 and an aged one's AGE_CHECKS; for the aged lead
    // it is its first check in this process (no snapshot: it folds every earlier check).
    const cold: number[] = [];
    for (let i = 0; i < AGE_LEADS; i++) {
      await check(young[i]?.leadId ?? '');
      cold.push(await check(old[i]?.leadId ?? ''));
    }
    // Round 2, measured, interleaved one at a time: what a running reconciler pays per check.
    const youngMs: number[] = [];
    const oldMs: number[] = [];
    for (let i = 0; i < AGE_LEADS; i++) {
      youngMs.push(await check(young[i]?.leadId ?? ''));
      oldMs.push(await check(old[i]?.leadId ?? ''));
    }
    // Round 3, for comparison: the same checks folding the whole lead each time (no snapshot), as before issue 16.
    const folds = leadFoldCache(h.store);
    const youngFull: number[] = [];
    const oldFull: number[] = [];
    for (let i = 0; i < AGE_LEADS; i++) {
      folds.clear();
      youngFull.push(await check(young[i]?.leadId ?? ''));
      folds.clear();
      oldFull.push(await check(old[i]?.leadId ?? ''));
    }
    const y = median(youngMs);
    const o = median(oldMs);
    console.log(
      `age: young ${y.toFixed(2)} ms, old ${o.toFixed(2)} ms, cold old ${median(cold).toFixed(2)} ms; without snapshots young ${median(youngFull).toFixed(2)} ms, old ${median(oldFull).toFixed(2)} ms`,
    );
    return {
      figures: [
        {
          name: `age: check of a lead with ${AGE_CHECKS} earlier checks vs one with 1 (median)`,
          value: round(o, 2),
          unit: 'ms',
          baseline: round(y, 2),
          ratio: round(o / y, 2),
          goal: 1.5,
          goalKind: 'max',
        },
        {
          name: `age: the same without the fold snapshot (whole lead folded each check), ${AGE_CHECKS} vs 1 earlier checks (median)`,
          value: round(median(oldFull), 2),
          unit: 'ms',
          baseline: round(median(youngFull), 2),
          ratio: round(median(oldFull) / median(youngFull), 2),
        },
        {
          name: `age: first check in a fresh process of a lead with ${AGE_CHECKS - 1} earlier checks (no snapshot yet, median)`,
          value: round(median(cold), 2),
          unit: 'ms',
        },
      ],
      settings: { leadsPerSide: AGE_LEADS, earlierChecks: AGE_CHECKS, bookedShare: 1 / 3 },
    };
  } finally {
    await h.close();
    await sim.close();
  }
}

// Scenarios: `label:leads:workspaces`, comma-separated. Default: the 10,000 leads over 50
// workspaces, and 1,000 over 5; then the age scenario (BENCH_AGE=0 skips it).
const scenarios = (process.env['BENCH_SCENARIOS'] ?? 'full:10000:50,paced:1000:5').split(',').filter(Boolean);
const results = [];
for (const spec of scenarios) {
  const [label = 'run', leads = '1000', workspaces = '5'] = spec.split(':');
  results.push({ label, ...(await scenario(label, Number(leads), Number(workspaces))) });
}
const age = process.env['BENCH_AGE'] === '0' ? null : await ageScenario();
const cpu = cpus();
const result = {
  bench: 'reconcile',
  at: new Date().toISOString(),
  machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${results[0]?.pg ?? 'PostgreSQL'}; GHL simulator in its own node process; PostgreSQL on the same host; ${process.env['BENCH_SHARED_NOTE'] ?? "no other benches or tests ran during this run; the load average counts the bench's own processes"}, 1-min load average ${loadavg()[0]?.toFixed(2)} at the end`,
  settings: {
    ...Object.fromEntries(results.map((r) => [r.label, r.settings])),
    ...(age ? { age: age.settings } : {}),
  },
  figures: [...results.flatMap((r) => r.figures), ...(age?.figures ?? [])],
};
console.log(JSON.stringify(result, null, 2));
const out = path.join(repoRoot, 'bench/results/reconcile.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
