/**
 * Issue 18 §1, the scheduler's order: due leads whose grade is label_only with a label older
 * than the workspace's `labelVerificationSlaHours` come first (oldest label first), before
 * never-checked leads and the rest; a label within the SLA, or a lead not due, keeps its place.
 * Real PostgreSQL, the GHL simulator, the core projection's lead rows.
 */
import { startProjections, type ProjectionsHandle } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileLead } from '../reconcile/reconcile-lead';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { selectDueLeads } from './select-due-leads';

const HOUR = 3_600_000;
const T = new Date('2030-06-10T12:00:00.000Z');
let now = new Date(T.getTime() - 72 * HOUR);
let h: Harness;
let projections: ProjectionsHandle;

beforeAll(async () => {
  h = await startHarness({ name: 'label-sla-order', clock: () => now });
  projections = startProjections({ store: h.store, db: h.db, clock: () => now });
});
afterAll(async () => {
  await projections?.stop();
  await h?.close();
});

const at = (hoursBefore: number) => new Date(T.getTime() - hoursBefore * HOUR).toISOString();

describe('label SLA order', () => {
  it('label_only leads past the SLA first, oldest label first', async () => {
    const ws = await h.createWorkspace({ name: 'Sla', calendly: false, settings: { labelVerificationSlaHours: 24 } });
    // Checked 72 h ago (no label then): due again, in the last tier by attempt age.
    for (const leadId of ['a-checked', 'b-label-30h', 'c-label-40h', 'd-label-2h', 'e-other-label'])
      await h.putLead(ws.id, leadId, { ghlContactId: `c-${leadId}` });
    for (const leadId of ['a-checked', 'b-label-30h', 'c-label-40h', 'd-label-2h', 'e-other-label'])
      expect((await reconcileLead(h.deps, { workspaceId: ws.id, leadId, source: 'poller' })).ok).toBe(true);
    // Labels after that check: label_only (no successful check since).
    const label = (label: string, hoursBefore: number) => ({ sentiment: { label, classifiedAt: at(hoursBefore) } });
    await h.putLead(ws.id, 'b-label-30h', label('Meeting Booked', 30));
    await h.putLead(ws.id, 'c-label-40h', label('Meeting Booked', 40));
    await h.putLead(ws.id, 'd-label-2h', label('Meeting Booked', 2));
    await h.putLead(ws.id, 'e-other-label', label('Interested', 50));
    await h.putLead(ws.id, 'f-never-checked', { ghlContactId: 'c-f' });
    now = T;
    expect((await projections.waitUntilCaughtUp(undefined, { timeoutMs: 15_000 })).ok).toBe(true);

    const db = reconcileDb(h.db as never);
    const q = { workspaceId: ws.id, now: T, intervalMinutes: 60, limit: 10 };
    const withSla = await selectDueLeads(db, { ...q, labelSlaHours: 24 });
    expect(withSla).toEqual([
      'c-label-40h',
      'b-label-30h',
      'f-never-checked',
      'a-checked',
      'd-label-2h',
      'e-other-label',
    ]);
    // Without the SLA the old order; with a longer SLA only the older label is overdue.
    expect(await selectDueLeads(db, q)).toEqual([
      'f-never-checked',
      'a-checked',
      'b-label-30h',
      'c-label-40h',
      'd-label-2h',
      'e-other-label',
    ]);
    expect((await selectDueLeads(db, { ...q, labelSlaHours: 36 }))[0]).toBe('c-label-40h');
    expect((await selectDueLeads(db, { ...q, labelSlaHours: 36 }))[1]).toBe('f-never-checked');
    expect(await selectDueLeads(db, { ...q, labelSlaHours: 24, limit: 2 })).toEqual(['c-label-40h', 'b-label-30h']);
  });
});
