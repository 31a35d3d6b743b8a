/**
 * `recon demo` in-process on a fresh database: a small generated world through recon's real HTTP
 * API and the provider simulators. Every signed webhook is accepted, reconciliation turns every
 * unknown lead into verified evidence, every canceled meeting (webhook or polling) leaves a red
 * task, and the simulators only ever saw GETs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../runtime/resolve-config';
import { startRecon, type RunningRecon } from '../start/start-recon';
import { DEMO_PROVIDER_TUNING } from './demo-providers';
import { generateDemoWorld } from './demo-world';
import { runDemo, type DemoRun } from './run-demo';

const LEADS = 150;
const SEED = 7;
let database: FreshDatabase;
let dataDir: string;
let recon: RunningRecon;
let run: DemoRun | undefined;

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-demo' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-demo-test-'));
  const config = await resolveConfig({
    DATABASE_URL: database.url,
    RECON_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The simulators listen on http://127.0.0.1: private addresses allowed, explicitly.
    RECON_ALLOW_PRIVATE_URLS: '1',
  });
  if (!config.ok) throw new Error(config.message);
  recon = await startRecon(config.value, pino({ level: 'silent' }), {
    roles: new Set(['api', 'ingest', 'projections']),
    providers: DEMO_PROVIDER_TUNING,
  });
  if (recon.url === null || recon.projections === null) throw new Error('recon did not start its HTTP and projections');
  run = await runDemo(
    {
      url: recon.url,
      adminToken: config.value.secrets.adminToken,
      cronSecret: config.value.secrets.cronSecret,
      db: recon.runtime.db,
      projections: recon.projections,
    },
    { leads: LEADS, seed: SEED },
  );
}, 120_000);

afterAll(async () => {
  await run?.close();
  await recon?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('recon demo', () => {
  it('accepts every signed webhook and verifies every unknown lead by reconciliation', () => {
    const s = run!.summary;
    expect(s.leads).toBe(LEADS);
    expect(s.webhooks.posted).toBeGreaterThan(0);
    expect(s.webhooks.accepted).toBe(s.webhooks.posted);
    expect(s.webhooks.lost.calendly + s.webhooks.lost.ghl + s.webhooks.directGhlBookings).toBeGreaterThan(0);
    expect(s.before.unknownLeads).toBeGreaterThan(0);
    expect(s.after.unknownLeads).toBe(0);
    expect(s.unknownBecameVerified).toBe(s.before.unknownLeads);
    expect(s.reconciliation.leadsChecked).toBe(LEADS);
    expect(s.reconciliation.failures).toBe(0);
  });

  it('finds what the lost webhooks missed: every planned booking is known, every cancellation is a red task', () => {
    const s = run!.summary;
    const world = generateDemoWorld({ leads: LEADS, seed: SEED, nowMs: Date.now() });
    const canceled = world.bookings.filter((b) => b.cancel !== null).length;
    const bookedLeads = new Set(world.bookings.map((b) => b.lead.leadId)).size;
    const withEvidence =
      (s.after.leadsByState['booked'] ?? 0) +
      (s.after.leadsByState['canceled'] ?? 0) +
      (s.after.leadsByState['completed'] ?? 0) +
      (s.after.leadsByState['no_show'] ?? 0);
    expect(withEvidence).toBe(bookedLeads);
    expect(s.after.leadsByState['canceled']).toBe(canceled);
    expect(s.redTasks).toBe(canceled);
    expect(Object.values(s.after.openMismatchesByKind).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it('only read from the providers', () => {
    expect(Object.keys(run!.summary.providerRequests)).toEqual(['GET']);
  });
});
