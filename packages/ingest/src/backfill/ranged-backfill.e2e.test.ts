/**
 * Issue 13 defect 2: a date-range backfill looks only at meetings starting in its range, so it
 * records what it saw there and never says "no meeting": a lead with a GHL appointment outside the
 * range stays unverified (no not_booked, no enrollment, no sentiment downgrade) until a full check.
 */
import { automationGate, deriveLeadView } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldLead } from '../reconcile/fold-lead';
import { reconcileLead } from '../reconcile/reconcile-lead';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { createBackfillJob } from './backfill-jobs';
import { runBackfill } from './run-backfill';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ name: 'ranged-backfill' });
});
afterAll(async () => {
  await h?.close();
});

const RULES = { bookedSentimentLabels: ['Meeting Booked'], autoCorrectSentiment: true };

describe('a range-limited backfill', () => {
  it('over last year, for a lead whose GHL meeting is in five days, records what it saw and proves nothing', async () => {
    const ws = await h.createWorkspace({ name: 'Ranged', calendly: false });
    await h.putLead(ws.id, 'lead-later', {
      ghlContactId: 'contact-later',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-01-01T00:00:00Z' },
    });
    h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: 'contact-later',
      startTime: new Date(Date.now() + 5 * 86_400_000),
    });
    const now = Date.now();
    const range = {
      from: new Date(now - 365 * 86_400_000).toISOString(),
      to: new Date(now - 86_400_000).toISOString(),
    };
    const job = await createBackfillJob(reconcileDb(h.db), {
      workspaceId: ws.id,
      providers: ['ghl'],
      ...range,
      now: new Date(),
    });
    const done = await runBackfill(h.deps, { jobId: job.id });
    expect(done.ok && done.view.status).toBe('completed');

    const checks = await h.events(
      (e) => e.type === 'LeadProviderChecked' && (e.data as { leadId: string }).leadId === 'lead-later',
    );
    expect(checks.map((e) => e.data)).toEqual([
      expect.objectContaining({
        provider: 'ghl',
        outcome: { kind: 'none' },
        range: { from: range.from, to: range.to },
      }),
    ]);
    const { lifecycle } = await foldLead(h.store, ws.id, 'lead-later', []);
    const at = new Date().toISOString();
    expect(lifecycle.bookingState).toBe('unknown');
    expect(automationGate(lifecycle, RULES, at).mayEnroll).toBe(false);
    expect(deriveLeadView(lifecycle, at, RULES).effective).toEqual({
      booked: true,
      basis: 'sentiment',
      autoCorrected: false,
    });

    // the same range again appends nothing
    const again = await createBackfillJob(reconcileDb(h.db), {
      workspaceId: ws.id,
      providers: ['ghl'],
      ...range,
      now: new Date(),
    });
    const rerun = await runBackfill(h.deps, { jobId: again.id });
    expect(rerun.ok && rerun.view.eventsAppended).toBe(0);

    // a full check then finds the meeting
    const full = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'lead-later', source: 'poller' });
    expect(full.ok && full.value.bookingState).toBe('booked');
  });
});
