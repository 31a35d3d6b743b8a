import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CalcomSimulator } from '@recon/simulators';
import { AccountRateLimiter } from '../provider-rate-limiter';
import { createCalcomClient } from './calcom-client';
import { checkCalcomLead } from './check-calcom-lead';
import { outboundFetch } from '../outbound-fetch';
/** The simulator listens on http://127.0.0.1: private addresses allowed, explicitly. */
const simulatorFetch = outboundFetch({ policy: { allowPrivate: true } });

const TOKEN = 'cal_live_client_test';
const EMAIL = 'riley.lead@example.com';
const GENEROUS = { maxRequests: 10_000, windowMs: 1000 };
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 3 };

const sim = new CalcomSimulator({ seed: 3, clock: () => Date.parse('2026-03-20T12:00:00Z') });
let url = '';
let host = 0;
const uids: string[] = [];

beforeAll(async () => {
  url = await sim.start();
  host = sim.addUser({ accessToken: TOKEN, email: 'avery.host@example.com' });
  for (let i = 0; i < 7; i++) {
    uids.push(
      sim.addBooking({
        hostUserId: host,
        email: i === 3 ? 'Riley.Lead@example.com' : EMAIL,
        startTime: Date.UTC(2026, 2, 10 + i, 15),
        at: Date.UTC(2026, 2, 1),
      }).uid,
    );
  }
  sim.addBooking({
    hostUserId: host,
    email: 'someone.else@example.com',
    startTime: Date.UTC(2026, 2, 11, 9),
    guests: [EMAIL],
  });
  sim.addBooking({ hostUserId: host, email: 'nobody@example.com', startTime: Date.UTC(2026, 2, 11, 10) });
});
beforeEach(() => {
  sim.server.rateLimit = GENEROUS;
});
afterEach(() => sim.server.clearFaults());
afterAll(async () => {
  expect(sim.server.methodsSeen()).toEqual(['GET']);
  await sim.close();
});

const client = (over: Partial<Parameters<typeof createCalcomClient>[0]> = {}) =>
  createCalcomClient({
    baseUrl: url,
    accessToken: TOKEN,
    retry: fastRetry,
    timeoutMs: 2_000,
    fetch: simulatorFetch,
    ...over,
  });

describe('Cal.com client against the simulator', () => {
  it('lists an attendee’s bookings across offset pages (overlapping, each booking once), sending cal-api-version', async () => {
    const before = sim.server.countRequests({ pathPrefix: '/v2/bookings' });
    const r = await client({ pageSize: 3 }).listBookings({ attendeeEmail: EMAIL });
    if (!r.ok) throw new Error(r.code);
    // Exact, case-sensitive at Cal.com: the booking typed "Riley.Lead@" is not returned; the guest booking is.
    expect(r.value).toHaveLength(7);
    expect(new Set(r.value.map((b) => b.uid)).size).toBe(7);
    expect(r.value.map((b) => b.uid)).not.toContain(uids[3]);
    expect(sim.server.countRequests({ pathPrefix: '/v2/bookings' }) - before).toBeGreaterThanOrEqual(3);
  });

  it('the lead check asks the email as held and normalized, keeps the lead’s bookings and reads reschedules and absence', async () => {
    const moved = sim.rescheduleBooking(uids[0]!, Date.UTC(2026, 3, 1, 15));
    sim.markAbsent(uids[1]!, EMAIL);
    const ctx = {
      workspaceId: 'ws',
      leadId: 'lead-riley',
      source: 'poller',
      observedAt: '2026-03-20T12:00:00.000Z',
    } as const;
    const hashEmail = (_ws: string, e: string) => `h:${e}`;
    const r = await checkCalcomLead(client(), ctx, {
      email: 'Riley.Lead@example.com',
      alternateEmails: [],
      knownBookings: [],
      hashEmail,
      ambiguous: async () => false,
      utmLeadIds: () => [],
    });
    expect(r.outcome).toEqual({ kind: 'found', count: 9 }); // 7 by email (either case), 1 as a guest, 1 rescheduled
    const byId = new Map(r.observations.map((o) => [o.observation.providerAppointmentId, o.observation]));
    expect(byId.get(uids[0]!)).toMatchObject({ status: 'canceled', rescheduledTo: moved.uid, leadId: 'lead-riley' });
    expect(byId.get(moved.uid)).toMatchObject({ status: 'scheduled', rescheduledFrom: uids[0], matchedBy: 'email' });
    expect(byId.get(uids[1]!)).toMatchObject({ status: 'no_show' });
    expect(byId.get(uids[3]!)).toMatchObject({ status: 'scheduled' });
    expect(r.observations.every((o) => o.matchKeys.inviteeEmailHash?.startsWith('h:'))).toBe(true);
  });

  it('follows known bookings the email lookup misses, down their reschedule chain', async () => {
    const other = sim.addBooking({
      hostUserId: host,
      email: 'changed@example.com',
      startTime: Date.UTC(2026, 4, 1, 15),
    });
    const next = sim.rescheduleBooking(other.uid, Date.UTC(2026, 4, 2, 15));
    const ctx = {
      workspaceId: 'ws',
      leadId: 'lead-x',
      source: 'manual',
      observedAt: '2026-03-20T12:00:00.000Z',
    } as const;
    const r = await checkCalcomLead(client(), ctx, {
      email: null,
      alternateEmails: [],
      knownBookings: [other.uid],
      hashEmail: (_w, e) => e,
      ambiguous: async () => false,
      utmLeadIds: () => [],
    });
    expect(
      r.observations.map((o) => [o.observation.providerAppointmentId, o.observation.status, o.observation.matchedBy]),
    ).toEqual([
      [other.uid, 'canceled', 'lead_id'],
      [next.uid, 'scheduled', 'reschedule'],
    ]);
  });

  it('429 with X-RateLimit-Reset-Default → waits (limiter paused) and retries; a wait beyond the budget fails with retryAfterMs', async () => {
    sim.server.injectFault({ kind: 'rateLimited' }, { count: 1 });
    const limiter = new AccountRateLimiter('calcom:test', { maxRequests: 1000, intervalMs: 1000 });
    const started = Date.now();
    const r = await client({ limiter, retry: { ...fastRetry, maxRateLimitWaitMs: 5_000 } }).listBookingsPage({
      attendeeEmail: EMAIL,
    });
    expect(r.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // Reset-Default ≥ 1 s
    sim.server.injectFault({ kind: 'rateLimited' }, { count: 1 });
    const long = await client({ retry: { ...fastRetry, maxRateLimitWaitMs: 100 } }).listBookingsPage({
      attendeeEmail: EMAIL,
    });
    expect(long).toMatchObject({ ok: false, code: 'PROVIDER_RATE_LIMITED', retryAfterMs: expect.any(Number) });
    await limiter.stop();
  });

  it('a paced client stays under Cal.com’s per-key limit (no 429 from the simulator)', async () => {
    sim.server.resetStats();
    sim.server.rateLimit = { maxRequests: 5, windowMs: 1000 };
    const limiter = new AccountRateLimiter('calcom:paced', { maxRequests: 5, intervalMs: 1000 });
    const c = client({ limiter, pageSize: 1 });
    const r = await c.listBookings({ attendeeEmail: 'nobody@example.com' });
    const results = await Promise.all(Array.from({ length: 8 }, () => c.listBookingsPage({ attendeeEmail: EMAIL })));
    expect(r.ok && results.every((x) => x.ok)).toBe(true);
    expect(sim.server.rateLimitRejections).toBe(0);
    await limiter.stop();
  });

  it('401 → PROVIDER_UNAUTHORIZED at once; malformed or wrong-shaped bodies → PROVIDER_BAD_RESPONSE; 5xx retried; timeouts coded', async () => {
    const unauthorized = await client({ accessToken: 'cal_live_wrong' }).listBookingsPage({});
    expect(unauthorized).toMatchObject({ ok: false, code: 'PROVIDER_UNAUTHORIZED', attempts: 1 });
    sim.server.injectFault({ kind: 'malformed' });
    expect(await client().listBookingsPage({})).toMatchObject({ ok: false, code: 'PROVIDER_BAD_RESPONSE' });
    sim.server.injectFault({ kind: 'wrongShape' });
    expect(await client().listBookingsPage({})).toMatchObject({ ok: false, code: 'PROVIDER_BAD_RESPONSE' });
    sim.server.injectFault({ kind: 'status', status: 502 }, { count: 2 });
    expect((await client().listBookingsPage({})).ok).toBe(true);
    sim.server.injectFault({ kind: 'slow', delayMs: 400 }, { count: 3 });
    expect(await client({ timeoutMs: 100 }).listBookingsPage({})).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNREACHABLE',
      detail: 'TIMEOUT',
      attempts: 3,
    });
  });
});
