/**
 * Reconciliation benchmark (issue 7): reconcile many leads over many workspaces against the GHL
 * simulator with GHL's burst limit enforced exactly (default 100 requests / 10 s per location,
 * sliding window, 429 beyond it), through the real tick (leases, fair passes, limiters, event
 * store appends on PostgreSQL). Figures: requests used vs the allowance over the run (goal ≥ 90 %),
 * 429s (goal 0), max requests accepted in any window per location, leads/min per location, and
 * wall time vs the limit's lower bound (requests per location ÷ allowed rate).
 * Env: BENCH_LEADS (10000), BENCH_WORKSPACES (50), BENCH_GHL_MAX (100), BENCH_GHL_WINDOW_MS (10000),
 * BENCH_LEAD_CONCURRENCY (2), BENCH_BOOKED_SHARE (0.3), BENCH_SCENARIOS (`full:10000:50,paced:1000:5`). Uses DATABASE_URL (default the local
 * server) for a fresh database. The simulator runs in this process, so its answers wait for this
 * event loop: request timeouts are 30 s to keep our own loop lag from counting as provider timeouts; writes bench/results/reconcile.json at the repo root.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { applyLeadBatch } from '../src/leads/apply-lead-batch';
import { startHarness } from '../src/reconcile/testing/reconcile-harness';
import { runReconcileTick } from '../src/scheduler/run-reconcile-tick';

process.env['DATABASE_URL'] ??= 'postgres://postgres@127.0.0.1:5432/postgres';
const num = (k: string, d: number) => (process.env[k] === undefined ? d : Number(process.env[k]));
const GHL_MAX = num('BENCH_GHL_MAX', 100);
const WINDOW_MS = num('BENCH_GHL_WINDOW_MS', 10_000);
const LEAD_CONCURRENCY = num('BENCH_LEAD_CONCURRENCY', 2);
const BOOKED_SHARE = num('BENCH_BOOKED_SHARE', 0.3);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly goal?: number;
}

/** One run: `LEADS` leads over `WORKSPACES` workspaces (one GHL location each), reconciled by ticks until none is due. */
async function scenario(
  label: string,
  LEADS: number,
  WORKSPACES: number,
): Promise<{ figures: Figure[]; settings: Record<string, unknown>; pg: string }> {
  const h = await startHarness({
    name: 'reconcile-bench',
    ghlSimLimit: { maxRequests: GHL_MAX, windowMs: WINDOW_MS, dailyMax: 10_000_000 },
    poolSize: 20,
    requestTimeoutMs: 30_000,
  });
  try {
    const perWs = Math.ceil(LEADS / WORKSPACES);
    const spaces: { id: string; locationId: string }[] = [];
    const t0 = Date.now();
    for (let w = 0; w < WORKSPACES; w++) {
      const ws = await h.createWorkspace({ name: `Bench ${w}`, calendly: false });
      spaces.push(ws);
      const leads = Array.from({ length: perWs }, (_, i) => ({
        leadId: `lead-${String(i).padStart(5, '0')}`,
        ghlContactId: `${ws.locationId}-c${i}`,
      }));
      for (let i = 0; i < leads.length; i += 1000) {
        const r = await applyLeadBatch(
          { db: h.db, store: h.store, hashEmail: h.deps.hashEmail, clock: h.deps.clock },
          ws.id,
          leads.slice(i, i + 1000),
        );
        if (!r.ok) throw new Error(`seed failed: ${r.code}`);
      }
      for (let i = 0; i < perWs; i++) {
        if ((i * 7919) % 100 < BOOKED_SHARE * 100)
          h.ghl.addAppointment({
            locationId: ws.locationId,
            contactId: `${ws.locationId}-c${i}`,
            startTime: Date.now() + ((i % 30) + 1) * 86_400_000,
          });
      }
    }
    console.log(
      `seeded ${perWs * WORKSPACES} leads over ${WORKSPACES} workspaces in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    h.ghl.server.resetStats();

    const started = Date.now();
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
    const checked = summaries.reduce((n, s) => n + s.leadsChecked, 0);
    const failures = summaries.reduce((n, s) => n + s.failures, 0);
    const events = summaries.reduce((n, s) => n + s.eventsAppended, 0);
    const accepted = h.ghl.server.countRequests({ status: 200 });
    const rejected = h.ghl.server.rateLimitRejections;
    const perLocation = spaces.map((s) => h.ghl.server.countRequests({ account: s.locationId, status: 200 }));
    const maxInWindow = Math.max(...spaces.map((s) => h.ghl.server.maxAcceptedInWindow(s.locationId)));
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
    const figures: Figure[] = [
      { name: 'leads checked', value: checked, unit: 'leads', goal: LEADS },
      { name: 'leads with a successful check', value: Number(rows[0]?.n ?? 0), unit: 'leads', goal: LEADS },
      {
        name: 'GHL requests used vs allowance over the run',
        value: Math.round((accepted / allowance) * 1000) / 10,
        unit: '%',
        goal: 90,
      },
      { name: 'GHL 429 responses (simulator limit hit)', value: rejected, unit: 'count', goal: 0 },
      {
        name: 'max GHL requests accepted in any window, one location',
        value: maxInWindow,
        unit: `requests / ${WINDOW_MS} ms`,
        goal: GHL_MAX,
      },
      {
        name: 'leads per minute per location',
        value: Math.round((checked / WORKSPACES / (wallMs / 60_000)) * 10) / 10,
        unit: 'leads/min',
        baseline: Math.round(GHL_MAX * (60_000 / WINDOW_MS) * 10) / 10,
        ratio: Math.round((checked / WORKSPACES / (wallMs / 60_000) / (GHL_MAX * (60_000 / WINDOW_MS))) * 100) / 100,
      },
      {
        name: 'wall time vs the limit lower bound',
        value: Math.round(wallMs / 100) / 10,
        unit: 's',
        baseline: Math.round(lowerBoundMs / 100) / 10,
        ratio: Math.round((lowerBoundMs / wallMs) * 100) / 100,
        goal: 0.9,
      },
      { name: 'GHL requests accepted', value: accepted, unit: 'requests' },
      { name: 'events appended', value: events, unit: 'events' },
      { name: 'lead failures', value: failures, unit: 'leads', goal: 0 },
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
        failedChecksByCode: failedCodes,
      },
      pg: pg[0]?.v.split(' on ')[0] ?? 'PostgreSQL',
    };
  } finally {
    await h.close();
  }
}

// Scenarios: `label:leads:workspaces`, comma-separated. Default: the 10,000 leads over 50
// workspaces, and 1,000 over 5 (where this machine's event store keeps up with the limit).
const scenarios = (
  process.env['BENCH_SCENARIOS'] ?? `full:${num('BENCH_LEADS', 10_000)}:${num('BENCH_WORKSPACES', 50)},paced:1000:5`
).split(',');
const results = [];
for (const spec of scenarios) {
  const [label = 'run', leads = '1000', workspaces = '5'] = spec.split(':');
  results.push({ label, ...(await scenario(label, Number(leads), Number(workspaces))) });
}
const cpu = cpus();
const result = {
  bench: 'reconcile',
  at: new Date().toISOString(),
  machine: `${cpu.length} x ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${results[0]?.pg ?? 'PostgreSQL'}`,
  settings: Object.fromEntries(results.map((r) => [r.label, r.settings])),
  figures: results.flatMap((r) => r.figures),
};
console.log(JSON.stringify(result, null, 2));
const out = path.join(repoRoot, 'bench/results/reconcile.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
