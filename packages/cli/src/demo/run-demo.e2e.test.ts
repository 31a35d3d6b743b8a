/**
 * `recon demo` in-process on a fresh database (DATABASE_URL): a small generated world through
 * recon's real HTTP API and the provider simulators. Asserted through the HTTP API, as the operator
 * page reads it: reschedules on both providers, no-shows, attended meetings, messages both ways, an
 * unmatched booking, a booking only polling found (and one only check-now found), open mismatches,
 * red tasks. recon's log lines (captured at debug) and the demo's own output name no demo person.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@recon/api';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDemoSummary } from '../commands/demo-command';
import { resolveConfig } from '../runtime/resolve-config';
import { startRecon, type RunningRecon } from '../start/start-recon';
import { DEMO_PROVIDER_TUNING } from './demo-credentials';
import { demoCall } from './demo-http';
import { generateDemoWorld } from './demo-world';
import { runDemo, type DemoRun } from './run-demo';

const LEADS = 150;
const SEED = 7;
let database: FreshDatabase;
let dataDir: string;
let recon: RunningRecon;
let run: DemoRun | undefined;
let adminToken = '';
const logLines: string[] = [];
const demoOutput: string[] = [];

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-demo' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-demo-test-'));
  const config = await resolveConfig({
    DATABASE_URL: database.url,
    RECON_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'debug',
    // The simulators listen on http://127.0.0.1: private addresses allowed, explicitly.
    RECON_ALLOW_PRIVATE_URLS: '1',
  });
  if (!config.ok) throw new Error(config.message);
  adminToken = config.value.secrets.adminToken;
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  recon = await startRecon(config.value, log, {
    roles: new Set(['api', 'ingest', 'projections']),
    providers: DEMO_PROVIDER_TUNING,
  });
  if (recon.url === null || recon.projections === null) throw new Error('recon did not start its HTTP and projections');
  run = await runDemo(
    {
      url: recon.url,
      adminToken,
      cronSecret: config.value.secrets.cronSecret,
      db: recon.runtime.db,
      projections: recon.projections,
    },
    { leads: LEADS, seed: SEED, onStep: (line) => demoOutput.push(line) },
  );
  demoOutput.push(formatDemoSummary(run.summary, recon.url, adminToken));
}, 120_000);

afterAll(async () => {
  await run?.close();
  await recon?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** GET through the operator key, as the operator page does. */
async function read(pathAndQuery: string): Promise<Record<string, unknown>> {
  const s = run!.summary;
  return demoCall(`${recon.url}/v1/workspaces/${s.workspaceId}${pathAndQuery}`, 'GET', [200], {
    token: s.operatorKey,
  });
}

type Item = Record<string, unknown>;
const itemsOf = (page: Record<string, unknown>) => page['items'] as Item[];

async function allPages(pathAndQuery: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const sep = pathAndQuery.includes('?') ? '&' : '?';
    const page = await read(`${pathAndQuery}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...itemsOf(page));
    cursor = page['nextCursor'] as string | null;
  } while (cursor !== null);
  return out;
}

const countBy = (items: Item[], field: string) => {
  const counts: Record<string, number> = {};
  for (const i of items) counts[String(i[field])] = (counts[String(i[field])] ?? 0) + 1;
  return counts;
};

describe('recon demo', () => {
  it('accepts every signed webhook and verifies every unknown lead by reconciliation', () => {
    const s = run!.summary;
    expect(s.leads).toBe(LEADS);
    expect(s.webhooks.posted).toBeGreaterThan(0);
    expect(s.webhooks.accepted).toBe(s.webhooks.posted);
    expect(s.webhooks.lost.calendly + s.webhooks.lost.ghl + s.webhooks.directGhlBookings).toBeGreaterThan(0);
    expect(s.before.unknownLeads).toBeGreaterThan(0);
    expect(s.after.unknownLeads).toBe(0);
    expect(s.reconciliation.leadsChecked).toBe(LEADS);
    expect(s.reconciliation.failures).toBe(0);
  });

  it('shows reschedules on both providers: red tasks, a Calendly chain and a GHL appointment moved', async () => {
    const rescheduled = await allPages('/tasks?status=open&kind=meeting-rescheduled');
    const byProvider = countBy(rescheduled, 'provider');
    expect(byProvider['calendly']).toBeGreaterThanOrEqual(1);
    expect(byProvider['ghl']).toBeGreaterThanOrEqual(1);
    expect(rescheduled.every((t) => t['severity'] === 'red')).toBe(true);

    const { calendlyReschedule, ghlReschedule } = run!.summary.examples;
    const calendly = itemsOf(await read(`/leads/${calendlyReschedule}/appointments`));
    expect(calendly.some((a) => a['rescheduledTo'] !== null)).toBe(true);
    expect(calendly.some((a) => a['rescheduledFrom'] !== null)).toBe(true);
    expect((await read(`/leads/${calendlyReschedule}`))['state']).toBe('booked');
    const ghl = itemsOf(await read(`/leads/${ghlReschedule}/appointments`));
    expect(ghl).toHaveLength(1);
    const history = ghl[0]!['history'] as Item[];
    expect(history.map((h) => h['eventType'])).toContain('AppointmentRescheduled');
  });

  it('shows no-shows and attended meetings', async () => {
    const s = run!.summary;
    expect(s.after.leadsByState['no_show']).toBeGreaterThanOrEqual(1);
    expect((await allPages('/tasks?status=open&kind=meeting-no-show')).length).toBeGreaterThanOrEqual(1);
    expect((await read(`/leads/${s.examples.noShow}`))['state']).toBe('no_show');
    const completed = await allPages('/leads?state=completed');
    expect(completed.filter((l) => l['assumed'] === false).length).toBeGreaterThanOrEqual(1);
    const attended = await read(`/leads/${s.examples.attended}`);
    expect([attended['state'], attended['assumed']]).toEqual(['completed', false]);
  });

  it('shows message activity both ways', async () => {
    const leads = (
      await Promise.all(
        ['unknown', 'not_booked', 'booked', 'canceled', 'completed', 'no_show'].map((state) =>
          allPages(`/leads?state=${state}`),
        ),
      )
    ).flat();
    expect(leads).toHaveLength(LEADS);
    const directions = countBy(leads, 'lastMessageDirection');
    expect(directions['inbound']).toBeGreaterThanOrEqual(1);
    expect(directions['outbound']).toBeGreaterThanOrEqual(1);
    expect(leads.filter((l) => l['lastInboundAt'] !== null).length).toBeGreaterThanOrEqual(1);
  });

  it('lists the bookings no lead matched, one per provider', async () => {
    const unmatched = await allPages('/appointments?unmatched=true');
    const byProvider = countBy(unmatched, 'provider');
    expect(byProvider['calendly']).toBeGreaterThanOrEqual(1);
    expect(byProvider['ghl']).toBeGreaterThanOrEqual(1);
    expect(run!.summary.after.unmatchedBookings).toBe(unmatched.length);
  });

  it('finds what the lost webhooks missed: by polling (the cron tick) and by check-now', async () => {
    const { foundByPolling, foundByCheckNow } = run!.summary.examples;
    const polled = itemsOf(await read(`/leads/${foundByPolling}/appointments`));
    expect(polled.map((a) => a['source'])).toEqual(['poller']);
    const checked = itemsOf(await read(`/leads/${foundByCheckNow}/appointments`));
    expect(checked.map((a) => a['source'])).toEqual(['manual']);
    expect(run!.summary.later.foundByCheckNow).toContain(foundByCheckNow);
  });

  it('shows open mismatches (booked sentiment without evidence), closed ones and red tasks', async () => {
    const s = run!.summary;
    const mismatches = await allPages('/mismatches?kind=sentiment_booked_no_evidence');
    expect(mismatches.length).toBeGreaterThanOrEqual(1);
    expect(mismatches.map((m) => m['leadId'])).toContain(s.examples.bookedWithoutEvidence);
    expect(s.closedMismatches).toBeGreaterThanOrEqual(2); // a late booking, a relabelled lead
    const open = await allPages('/tasks?status=open');
    expect(open.filter((t) => t['severity'] === 'red').length).toBeGreaterThanOrEqual(1);
    expect(s.redTasks).toBe(open.filter((t) => t['severity'] === 'red').length);
    // Resolved by the operator (the demo resolves one); recon itself ends reviews whose question was answered (`resolvedBy: "recon"`).
    const resolved = await allPages('/tasks?status=resolved');
    expect(resolved.filter((t) => t['resolvedBy'] !== 'recon').length).toBe(s.later.tasksResolved);
    for (const t of resolved.filter((x) => x['resolvedBy'] === 'recon')) expect(String(t['note'])).toMatch(/_ENDED$/);
  });

  it('logs and prints no demo person: ids and counts only', () => {
    const world = generateDemoWorld({ leads: LEADS, seed: SEED, nowMs: Date.now() });
    const people = world.bookings.map((b) => b.person).concat(world.leads);
    const words = [...new Set(people.flatMap((p) => [p.email, p.name]))];
    expect(logLines.length).toBeGreaterThan(100);
    // The capture covers the paths that carry people: the lead feed and both providers' webhooks.
    for (const route of ['/leads::batch', '/webhooks/calendly/:ws', '/webhooks/ghl/:ws'])
      expect(logLines.some((l) => l.includes('"route":"') && l.includes(`${route}"`))).toBe(true);
    const text = [...logLines, ...demoOutput].join('\n').toLowerCase();
    expect(text).not.toContain('@demo.example');
    expect(words.filter((w) => text.includes(w.toLowerCase()))).toEqual([]);
  });

  it('only read from the providers', () => {
    expect(Object.keys(run!.summary.providerRequests)).toEqual(['GET']);
  });
});
