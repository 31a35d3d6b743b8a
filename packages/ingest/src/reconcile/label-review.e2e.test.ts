/**
 * Issue 18 §1 with the GHL simulator, real PostgreSQL and the projections: a booked label that a
 * successful check of every provider contradicts is `contradicted` (evidence: the sentiment event
 * and the check event); past the workspace's SLA the reconciler appends one
 * `LeadBookedLabelUnverified` per label (a retried check appends none) and the amber
 * `label-unverified` task opens once, only for that lead; a booking found later makes the lead
 * `provider_confirmed` and recon closes the task.
 */
import { getLead, startProjections, type ProjectionsHandle } from '@recon/projections';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileLead } from './reconcile-lead';
import { startHarness, type Harness } from './testing/reconcile-harness';

let h: Harness;
let projections: ProjectionsHandle;

beforeAll(async () => {
  h = await startHarness({ name: 'label-review' });
  projections = startProjections({ store: h.store, db: h.db, clock: () => new Date() });
});
afterAll(async () => {
  await projections?.stop();
  await h?.close();
});

const caughtUp = async () =>
  expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

async function tasks(ws: string) {
  const { rows } = await sql<{ lead_id: string; kind: string; severity: string; status: string; resolved_by: string }>`
    SELECT lead_id, kind, severity, status, resolved_by FROM follow_up_tasks WHERE workspace_id = ${ws}
    ORDER BY lead_id, kind`.execute(h.db);
  return rows;
}

describe('label review', () => {
  it('contradicted past the SLA opens one label-unverified task; a booking found later closes it', async () => {
    const ws = await h.createWorkspace({ name: 'Labels', calendly: false });
    const label = (classifiedAt: string) => ({ label: 'Meeting Booked', classifiedAt });
    await h.putLead(ws.id, 'old-label', { ghlContactId: 'c-old', sentiment: label(hoursAgo(48)) });
    await h.putLead(ws.id, 'fresh-label', { ghlContactId: 'c-fresh', sentiment: label(hoursAgo(1)) });
    await h.putLead(ws.id, 'booked-label', { ghlContactId: 'c-booked', sentiment: label(hoursAgo(48)) });
    h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: 'c-booked',
      startTime: new Date(Date.now() + 2 * 86_400_000),
    });
    for (const leadId of ['old-label', 'fresh-label', 'booked-label', 'old-label'])
      expect((await reconcileLead(h.deps, { workspaceId: ws.id, leadId, source: 'poller' })).ok).toBe(true);
    await caughtUp();

    const reviews = await h.events((e) => e.type === 'LeadBookedLabelUnverified' && e.streamName.includes(ws.id));
    expect(reviews.map((e) => (e.data as { leadId: string }).leadId)).toEqual(['old-label']);
    expect(await tasks(ws.id)).toEqual([
      { lead_id: 'old-label', kind: 'label-unverified', severity: 'amber', status: 'open', resolved_by: null },
    ]);

    const all = await h.events((e) => e.streamName.includes(ws.id));
    const byId = new Map(all.map((e) => [e.id, e]));
    const old = await getLead(h.db as never, ws.id, 'old-label', new Date());
    expect(old?.grade).toBe('contradicted');
    expect(old?.evidence.map((id) => byId.get(id)?.type)).toEqual(['LeadSentimentClassified', 'LeadProviderChecked']);
    const fresh = await getLead(h.db as never, ws.id, 'fresh-label', new Date());
    expect(fresh?.grade).toBe('contradicted');
    const booked = await getLead(h.db as never, ws.id, 'booked-label', new Date());
    expect(booked?.grade).toBe('provider_confirmed');
    expect(booked?.evidence.map((id) => byId.get(id)?.type)[0]).toBe('AppointmentBooked');

    // The booking appears after all: evidence, and recon closes the review.
    h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: 'c-old',
      startTime: new Date(Date.now() + 86_400_000),
    });
    expect((await reconcileLead(h.deps, { workspaceId: ws.id, leadId: 'old-label', source: 'poller' })).ok).toBe(true);
    await caughtUp();
    expect((await getLead(h.db as never, ws.id, 'old-label', new Date()))?.grade).toBe('provider_confirmed');
    expect(await tasks(ws.id)).toEqual([
      { lead_id: 'old-label', kind: 'label-unverified', severity: 'amber', status: 'resolved', resolved_by: 'recon' },
    ]);
  });
});
