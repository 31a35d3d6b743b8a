/**
 * `recon status` against a fresh PostgreSQL (DATABASE_URL), in-process, while the test process
 * runs the projections (as a `recon start` would) and then after stopping them with new events
 * behind: projections running and caught up, then stopped with lag; the scheduler's due leads;
 * outbox pending/failed; a queued backfill; per-workspace counts. JSON and the human tables,
 * and never an email.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyLeadUpdate, startBackfillJob } from '@recon/ingest';
import { insertNotifications } from '@recon/notifications';
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import { createEmailHasher, createSecretBox, createWorkspace, putProviderCredentials } from '@recon/workspaces';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../runtime/open-runtime';
import { resolveConfig } from '../runtime/resolve-config';
import { runAdmin } from './admin-test-io';
import type { StatusReport } from './status-report';
import { statusCommand } from './status-command';

const SECRET = 'rsk_status-0123456789abcdef-0123456789abcdef';
let database: FreshDatabase;
let dataDir: string;
let runtime: Runtime;
let projections: ProjectionsHandle | null = null;
let env: Record<string, string>;
let workspaceId: string;

const clock = () => new Date();

async function putLead(leadId: string, email: string): Promise<void> {
  const feed = { db: runtime.db, store: runtime.store, hashEmail: createEmailHasher(SECRET), clock };
  const r = await applyLeadUpdate(feed, { workspaceId, leadId }, { email });
  if (!r.ok) throw new Error(r.code);
}

async function status(): Promise<StatusReport> {
  const r = await runAdmin(statusCommand, ['--json'], env);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  expect(r.out).not.toContain('@example.com');
  return JSON.parse(r.out) as StatusReport;
}

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-status-command' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-status-command-'));
  env = { DATABASE_URL: database.url, RECON_DATA_DIR: dataDir, RECON_SECRET_KEY: SECRET };
  const resolved = await resolveConfig(env);
  if (!resolved.ok) throw new Error(resolved.message);
  runtime = await openRuntime(resolved.value, pino({ level: 'silent' }));
  const now = clock();
  workspaceId = (await createWorkspace(runtime.db, { name: 'Status Co', now })).id;
  await putProviderCredentials(runtime.db, createSecretBox(SECRET), {
    workspaceId,
    provider: 'calendly',
    publicConfig: {},
    secret: { accessToken: 'calendly-status-secret' },
    now,
  });
  await putLead('lead-1', 'one@example.com');
  await putLead('lead-2', 'two@example.com');
}, 60_000);

afterAll(async () => {
  await projections?.stop();
  await runtime?.close();
  await database?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('recon status', () => {
  it('reports running, caught-up projections, due leads, the outbox, a queued backfill and the counts', async () => {
    projections = startProjections({ store: runtime.store, db: runtime.db, clock });
    expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 20_000 })).ok).toBe(true);
    await runtime.db.transaction().execute((trx) =>
      insertNotifications(
        trx,
        ['lead-1', 'lead-2'].map((leadId) => ({
          id: randomUUID(),
          type: 'lead.booking_state_changed' as const,
          workspaceId,
          leadId,
          occurredAt: clock().toISOString(),
          body: '{}',
        })),
        60_000,
      ),
    );
    await sql`UPDATE notification_outbox SET status = 'failed', failed_at = now() WHERE lead_id = 'lead-2'`.execute(
      runtime.db,
    );
    const job = await startBackfillJob(runtime.db, {
      workspaceId,
      providers: ['calendly'],
      from: null,
      to: null,
      now: clock(),
    });
    expect(job.ok).toBe(true);

    const report = await status();
    expect(Object.keys(report)).toEqual(['at', 'projections', 'scheduler', 'outbox', 'backfills', 'workspaces']);
    expect(report.projections.map((p) => p.name)).toEqual(['core', 'identities']);
    for (const p of report.projections) {
      expect(p).toMatchObject({ running: true, lagEvents: 0, lagCapped: false, caughtUp: true, generation: 1 });
    }
    expect(report.projections.find((p) => p.name === 'core')?.eventsApplied).toBeGreaterThanOrEqual(2);
    // Both leads are contacts never checked: due now; no tick ran yet.
    expect(report.scheduler).toEqual({ lastTickAt: null, lastCheckAt: null, dueLeads: 2, leasesHeld: 0 });
    expect(report.outbox).toMatchObject({ pending: 1, failed: 1, delivered: 0 });
    expect(report.backfills).toMatchObject({ running: 0, queued: 1, failed: 0 });
    expect(report.backfills.jobs).toEqual([
      expect.objectContaining({ id: job.ok ? job.job.id : '', workspaceId, status: 'queued', leadsDone: 0 }),
    ]);
    expect(report.workspaces).toEqual([
      {
        id: workspaceId,
        name: 'Status Co',
        leads: 2,
        openMismatches: 0,
        openTasks: 0,
        dueLeads: 2,
        lastServedAt: null,
      },
    ]);

    const human = await runAdmin(statusCommand, [], env);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/^core\s+yes\s+1\s+\d+\s+0 events, 0\.0 s\s+0 retrying, 0 skipped$/m);
    expect(human.out).toContain(
      'Scheduler: last tick never, last check never, 2 leads due, 0 workspace(s) being served\n',
    );
    expect(human.out).toMatch(/Outbox: 1 pending \(oldest \d+ s\), 1 failed, 0 delivered\n/);
    expect(human.out).toContain('Backfills: 0 running, 1 queued, 0 failed\n');
    expect(human.out).toMatch(new RegExp(`^${workspaceId}\\s+2\\s+0\\s+0\\s+2\\s+never\\s+Status Co$`, 'm'));
    expect(human.out).not.toContain('@example.com');
  });

  it('shows projections that no runner holds, with the lag of the events they have not applied', async () => {
    await projections?.stop();
    projections = null;
    await putLead('lead-3', 'three@example.com');
    // The store shows an event once no older transaction on the server can still commit before
    // it (its read fence), so other work on a shared server may hide it for a moment: wait for it.
    const report = await waitFor(
      async () => {
        const r = await status();
        return (r.projections.find((p) => p.name === 'core')?.lagEvents ?? 0) > 0 ? r : null;
      },
      { timeoutMs: 20_000, intervalMs: 100, description: 'core projection lag visible' },
    );
    const core = report.projections.find((p) => p.name === 'core');
    expect(core).toMatchObject({ running: false, caughtUp: false, lagCapped: false });
    expect(core?.lagEvents).toBeGreaterThanOrEqual(1);
    expect(core?.lagSeconds).toBeGreaterThanOrEqual(0);
    for (const p of report.projections) expect(p.running).toBe(false);
    // The counts come from the read models: lead-3 is not in them yet, but it is due.
    expect(report.workspaces[0]).toMatchObject({ leads: 2, dueLeads: 3 });

    const human = await runAdmin(statusCommand, [], env);
    expect(human.out).toMatch(new RegExp(`^core\\s+no\\s+1\\s+\\d+\\s+${core?.lagEvents} events, \\d+\\.\\d s`, 'm'));
  });

  it('bad arguments exit 2 with the usage line', async () => {
    for (const args of [['--yaml'], ['now'], ['--json=1']]) {
      const r = await runAdmin(statusCommand, args, env);
      expect(r, args.join(' ')).toEqual({ code: 2, out: '', err: 'Usage: recon status [--json]\n' });
    }
  });
});
