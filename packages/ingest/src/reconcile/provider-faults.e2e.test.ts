/**
 * Issue 11, "Provider faults": the GHL and Calendly simulators on real ports answer 429 storms
 * (with Retry-After), 5xx, timeouts, truncated, malformed and wrongly shaped JSON, expired page
 * tokens and pages that change between calls, each aimed at one lead's requests. A reconciliation
 * tick over 50 leads must finish (no throw; every wait bounded by the clients' timeouts and retry
 * limits), record each failure as a `LeadProviderChecked` with its code, and never move a lead
 * toward "not booked" (nor lose a booking it had) because of a failure.
 */
import { leadStreamName, type BookingState, type LeadLifecycle } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimFault } from '@recon/simulators';
import { runReconcileTick, type TickSummary } from '../scheduler/run-reconcile-tick';
import { foldLead } from './fold-lead';
import { reconcileLead } from './reconcile-lead';
import type { KnownAppointment } from './reconcile-tables';
import { startHarness, type Harness } from './testing/reconcile-harness';

const LEADS = 50;
const CHECKED_BEFORE = 35; // leads 0..34 are checked cleanly first; the others are still unknown
const DAY = 86_400_000;
const T0 = Date.now();
let now = new Date(T0);

interface Fault {
  readonly name: string;
  readonly provider: 'ghl' | 'calendly';
  readonly fault: SimFault;
  readonly count: number;
  /** The check's outcome: a failure code, or null when the client recovers (the check succeeds). */
  readonly code: string | null;
  /** Only on followed pages (requests carrying page_token). */
  readonly pagesOnly?: boolean;
}

/** What each faulty lead gets: FAULTS[k] goes to lead k (checked before) and to lead 36 + k (never checked). */
const FAULTS: readonly Fault[] = [
  { name: '500', provider: 'ghl', fault: { kind: 'status', status: 500 }, count: 10, code: 'PROVIDER_UNAVAILABLE' },
  {
    name: '503',
    provider: 'calendly',
    fault: { kind: 'status', status: 503 },
    count: 10,
    code: 'PROVIDER_UNAVAILABLE',
  },
  {
    name: 'timeout',
    provider: 'ghl',
    fault: { kind: 'slow', delayMs: 3_000 },
    count: 10,
    code: 'PROVIDER_UNREACHABLE',
  },
  {
    name: 'timeout',
    provider: 'calendly',
    fault: { kind: 'slow', delayMs: 3_000 },
    count: 10,
    code: 'PROVIDER_UNREACHABLE',
  },
  { name: 'truncated', provider: 'ghl', fault: { kind: 'truncated' }, count: 1, code: 'PROVIDER_BAD_RESPONSE' },
  { name: 'truncated', provider: 'calendly', fault: { kind: 'truncated' }, count: 1, code: 'PROVIDER_BAD_RESPONSE' },
  { name: 'malformed', provider: 'ghl', fault: { kind: 'malformed' }, count: 1, code: 'PROVIDER_BAD_RESPONSE' },
  { name: 'wrong shape', provider: 'calendly', fault: { kind: 'wrongShape' }, count: 1, code: 'PROVIDER_BAD_RESPONSE' },
  {
    name: '429 storm',
    provider: 'ghl',
    fault: { kind: 'rateLimited', retryAfterSeconds: 1 },
    count: 30,
    code: 'PROVIDER_RATE_LIMITED',
  },
  {
    name: '429 burst',
    provider: 'calendly',
    fault: { kind: 'rateLimited', retryAfterSeconds: 1 },
    count: 2,
    code: null,
  },
  {
    name: 'expired page token',
    provider: 'calendly',
    fault: { kind: 'status', status: 400 },
    count: 1,
    code: 'PROVIDER_REJECTED',
    pagesOnly: true,
  },
];

const contact = (i: number) => `fault-contact-${i}`;
const email = (i: number) => `fault.lead.${i}@example.com`;
const leadId = (i: number) => `fault-lead-${i}`;
/** Leads with three Calendly bookings: their listing spans pages (see calendly.maxPageSize). */
const paged = (i: number) => i % 10 === 0 || i === 21 || i === 36 + 10;
const faultyLeads = (k: number) => [k, 36 + k];

let h: Harness;
let ws: { id: string; locationId: string; organizationUri: string };
const known = new Map<string, KnownAppointment[]>();
const before = new Map<string, LeadLifecycle>();
const after = new Map<string, LeadLifecycle>();
const faultOf = new Map<string, Fault>();
let tick: TickSummary;

const foldAll = async (into: Map<string, LeadLifecycle>) => {
  for (let i = 0; i < LEADS; i++)
    into.set(leadId(i), (await foldLead(h.store, ws.id, leadId(i), known.get(leadId(i)) ?? [])).lifecycle);
};

beforeAll(async () => {
  h = await startHarness({
    name: 'provider-faults',
    clock: () => now,
    requestTimeoutMs: 600, // generous: a loaded machine must not time out the healthy requests
    ghlSimLimit: { maxRequests: 100_000, windowMs: 1_000 },
    calendlySimLimit: { maxRequests: 100_000, windowMs: 1_000 },
  });
  ws = await h.createWorkspace({ name: 'Faults' });
  for (let i = 0; i < LEADS; i++) {
    await h.putLead(ws.id, leadId(i), {
      email: email(i),
      ghlContactId: contact(i),
      sentiment: { label: 'Meeting Booked', classifiedAt: new Date(T0 - DAY).toISOString() },
    });
    const appointments: KnownAppointment[] = [];
    if (i % 2 === 0)
      appointments.push({
        provider: 'ghl',
        id: h.ghl.addAppointment({
          locationId: ws.locationId,
          contactId: contact(i),
          startTime: T0 + (2 + (i % 7)) * DAY,
        }).id,
      });
    const bookings = paged(i) ? 3 : i % 3 === 0 ? 1 : 0;
    for (let b = 0; b < bookings; b++) {
      const booking = h.calendly.addBooking({
        organizationUri: ws.organizationUri,
        email: email(i),
        startTime: new Date(T0 + (3 + b + (i % 5)) * DAY),
      });
      appointments.push({ provider: 'calendly', id: booking.inviteeUri });
    }
    known.set(leadId(i), appointments);
  }
  for (let i = 0; i < CHECKED_BEFORE; i++) {
    const r = await reconcileLead(h.deps, { workspaceId: ws.id, leadId: leadId(i), source: 'poller' });
    if (!r.ok || r.value.checks.some((c) => c.outcome.kind === 'failed'))
      throw new Error(`baseline check failed for lead ${i}`);
  }
  await foldAll(before);

  // The faulty tick, a day later (every lead is due).
  now = new Date(T0 + DAY);
  h.calendly.maxPageSize = 2;
  h.calendly.pageShift = 1;
  for (const [k, f] of FAULTS.entries())
    for (const lead of faultyLeads(k)) {
      if (f.pagesOnly === true && !paged(lead)) throw new Error('a page fault needs a paged lead');
      faultOf.set(leadId(lead), f);
      if (f.provider === 'ghl')
        h.ghl.server.injectFault(f.fault, { count: f.count, pathPrefix: `/contacts/${contact(lead)}/appointments` });
      else
        h.calendly.server.injectFault(f.fault, {
          count: f.count,
          pathPrefix: '/scheduled_events',
          query: { invitee_email: email(lead), ...(f.pagesOnly === true ? { page_token: '' } : {}) },
        });
    }
  tick = await runReconcileTick(h.deps, { workspaceIds: [ws.id], maxLeads: 500, timeBudgetMs: 300_000 });
  h.ghl.server.clearFaults();
  h.calendly.server.clearFaults();
  await foldAll(after);
}, 600_000);

afterAll(async () => {
  await h?.close();
});

/** The lead's `LeadProviderChecked` events written by the faulty tick. */
async function checksOfTick(
  id: string,
): Promise<{ provider: string; outcome: { kind: string; code?: string; count?: number } }[]> {
  const events = await h.store.readStream(leadStreamName(ws.id, id));
  return events
    .filter((e) => e.type === 'LeadProviderChecked' && e.data['checkedAt'] === now.toISOString())
    .map((e) => ({
      provider: e.data['provider'] as string,
      outcome: e.data['outcome'] as { kind: string; code?: string },
    }));
}

const stateOf = (l: LeadLifecycle | undefined): BookingState => l?.bookingState ?? 'unknown';
const openAppointments = (l: LeadLifecycle | undefined) =>
  Object.values(l?.appointments ?? {})
    .filter((a) => a.status === 'scheduled' || a.status === 'replaced')
    .map((a) => a.providerAppointmentId)
    .sort();

describe('a reconciliation tick against faulty providers', () => {
  it('finishes and checks every lead', () => {
    expect(tick.leadsChecked).toBe(LEADS);
    expect(tick.remaining).toBe(0);
    expect(tick.failures).toBeGreaterThanOrEqual([...faultOf.values()].filter((f) => f.code !== null).length);
  });

  it('records each failure as a LeadProviderChecked with its code; recovered faults as a normal answer', async () => {
    expect(faultOf.size).toBe(FAULTS.length * 2);
    const seen: Record<string, string> = {};
    const expected: Record<string, string> = {};
    for (const [id, f] of faultOf) {
      const check = (await checksOfTick(id)).find((c) => c.provider === f.provider);
      seen[`${id} ${f.provider} ${f.name}`] =
        check === undefined
          ? 'none recorded'
          : check.outcome.kind === 'failed'
            ? (check.outcome.code ?? '?')
            : 'answered';
      expected[`${id} ${f.provider} ${f.name}`] = f.code ?? 'answered';
    }
    expect(seen).toEqual(expected);
  });

  it('pages that changed between calls: a lead whose second page shifted past its third booking is still found, with every booking kept', async () => {
    expect(h.calendly.shiftedPages).toBeGreaterThan(0);
    expect(faultOf.has(leadId(21))).toBe(false);
    const outcome = (await checksOfTick(leadId(21))).find((c) => c.provider === 'calendly')?.outcome;
    expect(outcome?.kind).toBe('found');
    expect(outcome?.count).toBeGreaterThanOrEqual(2);
    expect(openAppointments(after.get(leadId(21))).length).toBe(3);
  });

  it('a never-checked lead whose GHL check failed and whose Calendly answered "none" stays unknown', () => {
    // lead 38: a GHL appointment (GHL timed out), no Calendly booking.
    expect(faultOf.get(leadId(38))).toMatchObject({ provider: 'ghl', code: 'PROVIDER_UNREACHABLE' });
    expect((known.get(leadId(38)) ?? []).map((a) => a.provider)).toEqual(['ghl']);
    expect(stateOf(after.get(leadId(38)))).toBe('unknown');
  });

  it('every lead without a fault gets a successful check from both providers', async () => {
    const failed: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      if (faultOf.has(leadId(i))) continue;
      const checks = await checksOfTick(leadId(i));
      if (checks.length !== 2 || checks.some((c) => c.outcome.kind === 'failed'))
        failed.push(`${leadId(i)} ${JSON.stringify(checks)}`);
    }
    expect(failed).toEqual([]);
  });

  it('no lead moves toward "not booked" and none loses a booking because of a failure', () => {
    const moved: string[] = [];
    for (let i = 0; i < LEADS; i++) {
      const id = leadId(i);
      const b = before.get(id);
      const a = after.get(id);
      const hasEvidence = (known.get(id) ?? []).length > 0;
      // Checked cleanly before and nothing changed at the providers: the same state and bookings.
      if (
        i < CHECKED_BEFORE &&
        (stateOf(a) !== stateOf(b) || JSON.stringify(openAppointments(a)) !== JSON.stringify(openAppointments(b)))
      ) {
        moved.push(`${id}: ${stateOf(b)} → ${stateOf(a)}`);
      }
      // Never checked before: a failure may leave it unknown, never not_booked; evidence found stays.
      if (i >= CHECKED_BEFORE && faultOf.has(id) && faultOf.get(id)?.code !== null && stateOf(a) === 'not_booked')
        moved.push(`${id}: unknown → not_booked after a failure`);
      if (hasEvidence && stateOf(a) === 'not_booked') moved.push(`${id}: has a booking but is not_booked`);
    }
    expect(moved).toEqual([]);
    expect([...before.values()].filter((l) => l.bookingState === 'booked').length).toBeGreaterThan(10);
    expect([...before.values()].filter((l) => l.bookingState === 'not_booked').length).toBeGreaterThan(3);
  });

  // A 429 whose Retry-After exceeds the client's maxRateLimitWaitMs (120 s) pauses the account; the
  // calls after it (and any queued behind the pause) fail PROVIDER_RATE_LIMITED at once instead of
  // holding the tick for the whole wait.
  it("a 429 asking for a long wait (Retry-After: 600) fails that account's checks at once instead of holding the tick", async () => {
    const other = await h.createWorkspace({ name: 'Long wait', calendly: false });
    for (let i = 0; i < 5; i++) await h.putLead(other.id, `wait-lead-${i}`, { ghlContactId: `wait-contact-${i}` });
    h.ghl.server.injectFault(
      { kind: 'rateLimited', retryAfterSeconds: 600 },
      { pathPrefix: '/contacts/wait-contact-', count: 1 },
    );
    const summary = await runReconcileTick(h.deps, {
      workspaceIds: [other.id],
      maxLeads: 50,
      timeBudgetMs: 300_000,
      leadConcurrency: 1,
    });
    h.ghl.server.clearFaults();
    expect(summary.leadsChecked).toBe(5);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const events = await h.store.readStream(leadStreamName(other.id, `wait-lead-${i}`));
      const check = events.find((e) => e.type === 'LeadProviderChecked');
      outcomes.push(JSON.stringify(check?.data['outcome'] ?? null));
    }
    expect(outcomes.filter((o) => o.includes('PROVIDER_RATE_LIMITED')).length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('the simulators saw GETs only', () => {
    expect(h.ghl.server.methodsSeen()).toEqual(['GET']);
    expect(h.calendly.server.methodsSeen()).toEqual(['GET']);
  });
});
