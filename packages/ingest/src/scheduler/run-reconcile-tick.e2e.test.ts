import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillJob, getBackfillJob } from '../backfill/backfill-jobs';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { reconcileLead } from '../reconcile/reconcile-lead';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { runReconcileTick, type TickSummary } from './run-reconcile-tick';
import { startScheduler } from './start-scheduler';
import { selectDueLeads } from './select-due-leads';
import { acquireWorkspaceLease } from './workspace-lease';

let h: Harness;
const checkedPerLead = async () => {
  const counts = new Map<string, number>();
  for (const e of await h.events((x) => x.type === 'LeadProviderChecked')) {
    const d = e.data as { workspaceId: string; leadId: string; provider: string };
    const k = `${d.workspaceId}/${d.leadId}/${d.provider}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
};

beforeAll(async () => {
  // Small GHL limit so pacing and 429 handling are visible in a fast test.
  h = await startHarness({ name: 'reconcile-tick', ghlSimLimit: { maxRequests: 20, windowMs: 1_000 } });
});
afterAll(async () => {
  await h?.close();
});

describe('lead selection', () => {
  it('never checked first, then booked leads near their meeting, then the oldest watermark; fresh ones are not due', async () => {
    const ws = await h.createWorkspace({ name: 'Order', calendly: false, settings: { reconcileIntervalMinutes: 60 } });
    for (const id of ['a-old', 'b-new', 'c-near', 'd-fresh', 'e-older'])
      await h.putLead(ws.id, id, { ghlContactId: `ct-${id}` });
    const now = new Date();
    const ago = (min: number) => new Date(now.getTime() - min * 60_000);
    const db = reconcileDb(h.db);
    const row = (lead_id: string, last: Date, booking_state = 'not_booked', current_end_at: Date | null = null) => ({
      workspace_id: ws.id,
      lead_id,
      last_attempt_at: last,
      last_success_at: last,
      booking_state,
      current_end_at,
      known_appointments: '[]',
      failures: 0,
    });
    await db
      .insertInto('reconcile_leads')
      .values([
        row('a-old', ago(120)),
        row('c-near', ago(20), 'booked', new Date(now.getTime() + 3_600_000)),
        row('d-fresh', ago(5)),
        row('e-older', ago(600)),
      ])
      .execute();
    expect(await selectDueLeads(db, { workspaceId: ws.id, now, intervalMinutes: 60, limit: 10 })).toEqual([
      'b-new',
      'c-near',
      'e-older',
      'a-old',
    ]);
    expect(await selectDueLeads(db, { workspaceId: ws.id, now, intervalMinutes: 60, limit: 2 })).toEqual([
      'b-new',
      'c-near',
    ]);
  });
});

describe('runReconcileTick', () => {
  it('two concurrent ticks check no lead twice, and every due lead is checked once', async () => {
    const spaces = await Promise.all([1, 2, 3].map((i) => h.createWorkspace({ name: `Tick ${i}`, calendly: false })));
    for (const ws of spaces)
      for (let i = 0; i < 8; i++) await h.putLead(ws.id, `lead-${i}`, { ghlContactId: `${ws.id}-c${i}` });
    const ids = spaces.map((s) => s.id);
    const before = await checkedPerLead();
    const [a, b] = await Promise.all([
      runReconcileTick(h.deps, { holder: 'tick-a', workspaceIds: ids, concurrency: 2 }),
      runReconcileTick(h.deps, { holder: 'tick-b', workspaceIds: ids, concurrency: 2 }),
    ]);
    expect(a.leadsChecked + b.leadsChecked).toBe(24);
    const after = await checkedPerLead();
    for (const ws of spaces)
      for (let i = 0; i < 8; i++) {
        const k = `${ws.id}/lead-${i}/ghl`;
        expect((after.get(k) ?? 0) - (before.get(k) ?? 0)).toBe(1);
      }
    for (const ws of spaces)
      for (let i = 0; i < 8; i++)
        expect(h.ghl.server.countRequests({ pathPrefix: `/contacts/${ws.id}-c${i}/` })).toBe(1);
    // each reports what was still due when it finished (the other may still have been working): the later one saw 0
    expect(Math.min(a.remaining, b.remaining)).toBe(0);
    // nothing is due right after: a third tick checks nobody
    expect((await runReconcileTick(h.deps, { workspaceIds: ids })).leadsChecked).toBe(0);
  });

  it('an aborted tick (a graceful stop) starts no more leads; the next tick checks them', async () => {
    const ws = await h.createWorkspace({ name: 'Stopping', calendly: false });
    for (let i = 0; i < 3; i++) await h.putLead(ws.id, `s-${i}`, { ghlContactId: `${ws.id}-s${i}` });
    const stopping = new AbortController();
    stopping.abort();
    expect((await runReconcileTick(h.deps, { workspaceIds: [ws.id], signal: stopping.signal })).leadsChecked).toBe(0);
    expect((await runReconcileTick(h.deps, { workspaceIds: [ws.id] })).leadsChecked).toBe(3);
  });

  it('a workspace whose lease another holder has is skipped; an expired lease is taken over', async () => {
    const ws = await h.createWorkspace({ name: 'Leased', calendly: false });
    await h.putLead(ws.id, 'l1', { ghlContactId: `${ws.id}-l1` });
    const db = reconcileDb(h.db);
    expect(await acquireWorkspaceLease(db, ws.id, 'someone-else', 60_000)).toBe(true);
    const skipped = await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    expect(skipped).toMatchObject({ workspaces: 0, leadsChecked: 0, remaining: 1 });
    await db
      .updateTable('reconcile_leases')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('workspace_id', '=', ws.id)
      .execute();
    expect(await runReconcileTick(h.deps, { workspaceIds: [ws.id] })).toMatchObject({
      workspaces: 1,
      leadsChecked: 1,
      remaining: 0,
    });
  });

  it('bounded per run: maxLeads is shared fairly across workspaces and the rest is reported remaining', async () => {
    const spaces = await Promise.all([1, 2].map((i) => h.createWorkspace({ name: `Fair ${i}`, calendly: false })));
    for (const ws of spaces)
      for (let i = 0; i < 6; i++) await h.putLead(ws.id, `f-${i}`, { ghlContactId: `${ws.id}-f${i}` });
    const r = await runReconcileTick(h.deps, { workspaceIds: spaces.map((s) => s.id), maxLeads: 6, concurrency: 1 });
    expect(r).toMatchObject({ leadsChecked: 6, remaining: 6, workspaces: 2 });
    const perWs = await checkedPerLead();
    for (const ws of spaces) expect([...perWs.keys()].filter((k) => k.startsWith(`${ws.id}/`))).toHaveLength(3);
  });

  it('a 429 storm ends with every lead checked and no request accepted over the limit', async () => {
    const ws = await h.createWorkspace({ name: 'Storm', calendly: false });
    for (let i = 0; i < 30; i++) await h.putLead(ws.id, `s-${i}`, { ghlContactId: `${ws.id}-s${i}` });
    h.ghl.server.injectFault({ kind: 'rateLimited' }, { count: 8 });
    const r = await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    h.ghl.server.clearFaults();
    expect(r).toMatchObject({ leadsChecked: 30, failures: 0, remaining: 0 });
    expect(h.ghl.server.countRequests({ account: ws.locationId, status: 429 })).toBeGreaterThanOrEqual(8);
    expect(h.ghl.server.rateLimitRejections).toBe(0);
    expect(h.ghl.server.maxAcceptedInWindow(ws.locationId)).toBeLessThanOrEqual(20);
    const checks = await h.events(
      (e) => e.type === 'LeadProviderChecked' && (e.data as { workspaceId: string }).workspaceId === ws.id,
    );
    expect(checks.every((e) => (e.data as { outcome: { kind: string } }).outcome.kind === 'none')).toBe(true);
  });

  it('the Calendly window scan sees a cancellation of a known booking (no webhook, lead not due)', async () => {
    const ws = await h.createWorkspace({ name: 'Scan', ghl: false });
    await h.putLead(ws.id, 'scan-lead', { email: 'scan@example.com' });
    const booking = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'scan@example.com',
      startTime: new Date(Date.now() + 2 * 86_400_000),
    });
    const unmatched = h.calendly.addBooking({
      organizationUri: ws.organizationUri,
      email: 'stranger@example.com',
      startTime: new Date(Date.now() + 86_400_000),
    });
    await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'scan-lead', source: 'poller' });
    h.calendly.cancelInvitee(booking.inviteeUri, { by: 'host' });
    const r = await runReconcileTick(h.deps, { workspaceIds: [ws.id] });
    expect(r.leadsChecked).toBe(0);
    const canceled = await h.events(
      (e) =>
        e.type === 'AppointmentCanceled' &&
        (e.data as { providerAppointmentId: string }).providerAppointmentId === booking.inviteeUri,
    );
    expect(canceled.map((e) => (e.data as { leadId: string }).leadId)).toEqual(['scan-lead']);
    const stranger = await h.events(
      (e) =>
        e.type === 'AppointmentBooked' &&
        (e.data as { providerAppointmentId: string }).providerAppointmentId === unmatched.inviteeUri,
    );
    expect(stranger.map((e) => (e.data as { leadId: string | null }).leadId)).toEqual([null]);
  });

  it('the simulators saw GETs only', () => {
    expect(h.ghl.server.methodsSeen()).toEqual(['GET']);
    expect(h.calendly.server.methodsSeen()).toEqual(['GET']);
  });
});

describe('startScheduler', () => {
  it('ticks at once, resumes a backfill nobody runs, and stops cleanly', async () => {
    const ws = await h.createWorkspace({ name: 'Scheduled', calendly: false });
    for (let i = 0; i < 3; i++) await h.putLead(ws.id, `sch-${i}`, { ghlContactId: `${ws.id}-sch${i}` });
    const job = await createBackfillJob(reconcileDb(h.db), {
      workspaceId: ws.id,
      providers: ['ghl'],
      from: null,
      to: null,
      now: new Date(),
    });
    const ticks: TickSummary[] = [];
    const scheduler = startScheduler(h.deps, { everyMs: 60_000, workspaceIds: [ws.id], onTick: (s) => ticks.push(s) });
    try {
      await waitFor(() => ticks.length >= 1, { timeoutMs: 15_000 });
      expect(ticks[0]).toMatchObject({ workspaces: 1, leadsChecked: 3, remaining: 0 });
      const done = await waitFor(
        async () => {
          const row = await getBackfillJob(reconcileDb(h.db), ws.id, job.id);
          return row?.status === 'completed' ? row : null;
        },
        { timeoutMs: 15_000 },
      );
      expect(done.leads_done).toBe(3);
    } finally {
      await scheduler.stop();
    }
  });
});
