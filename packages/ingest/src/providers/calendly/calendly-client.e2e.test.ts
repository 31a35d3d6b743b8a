import { mapCalendlyInvitee } from '@recon/domain';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CalendlySimulator } from '@recon/simulators';
import { createCalendlyClient } from './calendly-client';
import { AccountRateLimiter } from '../provider-rate-limiter';
import { outboundFetch } from '../outbound-fetch';
/** The simulator listens on http://127.0.0.1: private addresses allowed, explicitly. */
const simulatorFetch = outboundFetch({ policy: { allowPrivate: true } });

const ORG = 'https://api.calendly.com/organizations/ecff6680-e317-4413-84ad-eb266264a2d9';
const TOKEN = 'calendly-token';
const EMAIL = 'jordan.lead@example.com';
const GENEROUS = { maxRequests: 10_000, windowMs: 1000 };
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 3 };

const sim = new CalendlySimulator({ seed: 7 });
let url = '';
let user = '';
const bookings: Array<{ eventUri: string; inviteeUri: string }> = [];

beforeAll(async () => {
  url = await sim.start();
  user = sim.addUser({ accessToken: TOKEN, organizationUri: ORG });
  for (let i = 0; i < 5; i++) {
    bookings.push(
      sim.addBooking({
        organizationUri: ORG,
        email: i === 2 ? 'Jordan.Lead@example.com' : EMAIL,
        startTime: Date.UTC(2026, 2, 10 + i, 15),
        at: Date.UTC(2026, 2, 1),
      }),
    );
  }
  sim.addBooking({
    organizationUri: ORG,
    email: 'someone.else@example.com',
    startTime: Date.UTC(2026, 2, 11, 9),
    guests: [EMAIL],
  });
  sim.addBooking({
    organizationUri: 'https://api.calendly.com/organizations/other',
    email: EMAIL,
    startTime: Date.UTC(2026, 2, 11, 9),
  });
});
beforeEach(() => {
  sim.server.rateLimit = GENEROUS;
});
afterEach(() => sim.server.clearFaults());
afterAll(async () => {
  expect(sim.server.methodsSeen()).toEqual(['GET']);
  await sim.close();
});

const client = (over: Partial<Parameters<typeof createCalendlyClient>[0]> = {}) =>
  createCalendlyClient({
    baseUrl: url,
    accessToken: TOKEN,
    organizationUri: ORG,
    retry: fastRetry,
    timeoutMs: 2_000,
    fetch: simulatorFetch,
    ...over,
  });

describe('Calendly client against the simulator', () => {
  it('finds a lead’s bookings by invitee email across pages (next_page_token followed)', async () => {
    const before = sim.server.countRequests({ pathPrefix: '/scheduled_events' });
    const r = await client({ pageSize: 2 }).listScheduledEventsByInviteeEmail(EMAIL);
    if (!r.ok) throw new Error(r.code);
    expect(r.value.map((e) => e.uri)).toEqual(bookings.map((b) => b.eventUri));
    expect(sim.server.countRequests({ pathPrefix: '/scheduled_events' }) - before).toBe(3);
  });

  it('lists an event’s invitees and maps a reschedule seen only by polling', async () => {
    const first = bookings[0];
    if (!first) throw new Error('seed');
    const moved = sim.rescheduleInvitee(first.inviteeUri, Date.UTC(2026, 3, 1, 15));
    const c = client({ pageSize: 1 });
    const oldInvitees = await c.listEventInvitees(first.eventUri);
    const newInvitees = await c.listEventInvitees(moved.eventUri);
    const oldEvent = await c.getScheduledEvent(first.eventUri);
    const newEvent = await c.getScheduledEvent(moved.eventUri);
    if (!oldInvitees.ok || !newInvitees.ok || !oldEvent.ok || !newEvent.ok) throw new Error('read failed');
    const ctx = { workspaceId: 'ws', source: 'poller', observedAt: '2026-03-20T00:00:00.000Z' } as const;
    const [o] = oldInvitees.value;
    const [n] = newInvitees.value;
    if (!o || !n) throw new Error('no invitees');
    expect(mapCalendlyInvitee(oldEvent.value, o, ctx)).toMatchObject({
      ok: true,
      value: { observation: { status: 'canceled', rescheduledTo: moved.inviteeUri } },
    });
    expect(mapCalendlyInvitee(newEvent.value, n, ctx)).toMatchObject({
      ok: true,
      value: { observation: { status: 'scheduled', rescheduledFrom: first.inviteeUri } },
    });
  });

  it('scans the organization’s events in a rolling start-time window', async () => {
    const r = await client({ pageSize: 2 }).scanOrganizationEvents({
      minStartTime: '2026-03-11T00:00:00Z',
      maxStartTime: '2026-03-13T00:00:00Z',
    });
    expect(r.ok && r.value.length).toBe(3);
    const page = await client({ pageSize: 2 }).listScheduledEventsPage({
      minStartTime: '2026-03-01T00:00:00Z',
      maxStartTime: '2026-05-01T00:00:00Z',
    });
    expect(page.ok && page.value.items.length).toBe(2);
    expect(page.ok && page.value.nextPageToken).toEqual(expect.any(String));
  });

  it('401 is final; a malformed invitee page is PROVIDER_BAD_RESPONSE', async () => {
    const before = sim.server.countRequests();
    expect(await client({ accessToken: 'nope' }).listScheduledEventsByInviteeEmail(EMAIL)).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNAUTHORIZED',
      attempts: 1,
    });
    expect(sim.server.countRequests() - before).toBe(1);
    sim.server.injectFault({ kind: 'malformed' }, { pathPrefix: '/scheduled_events/' });
    expect(await client().listEventInvitees(bookings[1]?.eventUri ?? '')).toMatchObject({
      ok: false,
      code: 'PROVIDER_BAD_RESPONSE',
    });
  });

  it('a failing page fails the whole list with a code (no partial result)', async () => {
    sim.server.injectFault({ kind: 'status', status: 500 }, { count: 3 });
    expect(await client({ pageSize: 2 }).listScheduledEventsByInviteeEmail(EMAIL)).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNAVAILABLE',
      status: 500,
    });
  });

  it('honours X-RateLimit-Reset on a 429 and answers every call', async () => {
    sim.server.rateLimit = { maxRequests: 3, windowMs: 300 };
    sim.server.resetStats();
    const c = client({ retry: { ...fastRetry, maxRateLimitRetries: 10 } });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => c.getScheduledEvent(bookings[1]?.eventUri ?? '')),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(sim.server.rateLimitRejections).toBeGreaterThan(0);
  });

  it('paced by a limiter set to the per-user limit, never over it', async () => {
    sim.server.rateLimit = { maxRequests: 5, windowMs: 200 };
    sim.server.resetStats();
    const limiter = new AccountRateLimiter(`calendly:${user}`, { maxRequests: 5, intervalMs: 200 });
    const c = client({ limiter, pageSize: 2 });
    const results = await Promise.all(Array.from({ length: 8 }, () => c.listScheduledEventsByInviteeEmail(EMAIL)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.server.countRequests()).toBe(24);
    expect(sim.server.rateLimitRejections).toBe(0);
    expect(sim.server.maxAcceptedInWindow(user)).toBeLessThanOrEqual(5);
    await limiter.stop();
  });

  it('rejects an event reference that is not a scheduled-event URI without a request', async () => {
    const before = sim.server.countRequests();
    expect(await client().listEventInvitees('https://example.com/x/y')).toMatchObject({
      ok: false,
      code: 'PROVIDER_REJECTED',
      attempts: 0,
    });
    expect(sim.server.countRequests()).toBe(before);
  });
});
