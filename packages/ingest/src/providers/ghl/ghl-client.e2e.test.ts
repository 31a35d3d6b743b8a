import { mapGhlContactAppointment } from '@recon/domain';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GhlSimulator } from '@recon/simulators';
import { createGhlClient } from './ghl-client';
import { AccountRateLimiter, RateLimiterRegistry } from '../provider-rate-limiter';
import { outboundFetch } from '../outbound-fetch';
/** The simulator listens on http://127.0.0.1: private addresses allowed, explicitly. */
const simulatorFetch = outboundFetch({ policy: { allowPrivate: true } });

const LOC = 'SimLoc00000000000001';
const LOC_B = 'SimLoc00000000000002';
const TOKEN = 'tok-loc-1';
const TOKEN_B = 'tok-loc-2';
const LIMIT = { maxRequests: 5, intervalMs: 200 };
const fastRetry = { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 3 };

const sim = new GhlSimulator({ rateLimit: { maxRequests: 5, windowMs: 200, dailyMax: 1_000_000 } });
let url = '';
const registry = new RateLimiterRegistry();

beforeAll(async () => {
  url = await sim.start();
  sim.addLocation({ locationId: LOC, accessToken: TOKEN, timeZone: 'America/Chicago' });
  sim.addLocation({ locationId: LOC_B, accessToken: TOKEN_B, timeZone: 'Europe/Berlin' });
  sim.addAppointment({
    locationId: LOC,
    contactId: 'con-1',
    id: 'apt-1',
    startTime: '2030-06-18T15:00:00Z',
    appointmentStatus: 'confirmed',
  });
  sim.addAppointment({
    locationId: LOC,
    contactId: 'con-1',
    id: 'apt-2',
    startTime: '2026-05-05T19:00:00Z',
    appointmentStatus: 'cancelled',
  });
  sim.addAppointment({ locationId: LOC_B, contactId: 'con-b', id: 'apt-b', startTime: '2030-01-10T09:00:00Z' });
});
const GENEROUS = { maxRequests: 10_000, windowMs: 1000, dailyMax: 1_000_000 };
const TIGHT = { maxRequests: 5, windowMs: 200, dailyMax: 1_000_000 };
beforeEach(() => {
  sim.server.rateLimit = GENEROUS;
});
afterEach(() => sim.server.clearFaults());
afterAll(async () => {
  expect(sim.server.methodsSeen()).toEqual(['GET']);
  await registry.stopAll();
  await sim.close();
});

/** Waits for a condition with a deadline (no fixed sleeps). */
async function waitFor(condition: () => boolean, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met before the deadline');
    await new Promise((r) => setImmediate(r));
  }
}

const client = (over: Partial<Parameters<typeof createGhlClient>[0]> = {}) =>
  createGhlClient({
    baseUrl: url,
    accessToken: TOKEN,
    locationId: LOC,
    retry: fastRetry,
    timeoutMs: 2_000,
    fetch: simulatorFetch,
    ...over,
  });

describe('GHL client against the simulator', () => {
  it('asks for a cold location timezone once, however many checks start together (single flight)', async () => {
    const cache = new Map<string, { readonly value: string; readonly at: number }>();
    const before = sim.server.countRequests({ pathPrefix: '/locations/' });
    const clients = Array.from({ length: 20 }, () =>
      client({ timeZoneCache: cache, locationId: LOC_B, accessToken: TOKEN_B }),
    );
    const zones = await Promise.all(clients.map((c) => c.getLocationTimeZone()));
    expect(new Set(zones.map((z) => JSON.stringify(z)))).toEqual(
      new Set([JSON.stringify({ ok: true, value: 'Europe/Berlin' })]),
    );
    expect(sim.server.countRequests({ pathPrefix: '/locations/' }) - before).toBe(1);
  });

  it('reads a contact’s appointments and maps naive times with the cached location timezone', async () => {
    const c = client();
    const zone = await c.getLocationTimeZone();
    expect(zone).toEqual({ ok: true, value: 'America/Chicago' });
    const before = sim.server.countRequests({ pathPrefix: '/locations/' });
    expect(await c.getLocationTimeZone()).toEqual(zone);
    expect(sim.server.countRequests({ pathPrefix: '/locations/' })).toBe(before);

    const r = await c.getContactAppointments('con-1');
    if (!r.ok) throw new Error(r.code);
    expect(r.value.map((a) => a.id)).toEqual(['apt-2', 'apt-1']);
    expect(r.value[1]?.startTime).toBe('2030-06-18 10:00:00');
    const obs = r.value.map((a) =>
      mapGhlContactAppointment(a, {
        workspaceId: 'ws',
        source: 'poller',
        observedAt: '2026-06-01T00:00:00.000Z',
        timeZone: 'America/Chicago',
      }),
    );
    expect(obs.map((o) => o.ok && [o.value.observation.status, o.value.observation.startAt])).toEqual([
      ['canceled', '2026-05-05T19:00:00.000Z'],
      ['scheduled', '2030-06-18T15:00:00.000Z'],
    ]);
    expect(await c.getContactAppointments('nobody')).toEqual({ ok: true, value: [] });
  });

  it('reads calendar events in a window and one event by id (ISO with offset)', async () => {
    const c = client();
    const list = await c.getCalendarEvents({
      calendarId: 'SimCal00000000000001',
      startTime: Date.parse('2030-06-01T00:00:00Z'),
      endTime: new Date('2030-07-01T00:00:00Z'),
    });
    expect(list.ok && list.value.map((e) => [e.id, e.startTime])).toEqual([['apt-1', '2030-06-18T10:00:00-05:00']]);
    const one = await c.getCalendarEvent('apt-1');
    expect(one.ok && one.value.appointmentStatus).toBe('confirmed');
    expect(await c.getCalendarEvent('missing')).toMatchObject({ ok: false, code: 'PROVIDER_NOT_FOUND', attempts: 1 });
  });

  it('401 is final: PROVIDER_UNAUTHORIZED after one request', async () => {
    const before = sim.server.countRequests();
    expect(await client({ accessToken: 'wrong' }).getContactAppointments('con-1')).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNAUTHORIZED',
      status: 401,
      attempts: 1,
    });
    expect(sim.server.countRequests() - before).toBe(1);
  });

  it('a malformed body is PROVIDER_BAD_RESPONSE, not a crash, and not retried', async () => {
    sim.server.injectFault({ kind: 'malformed' });
    expect(await client().getContactAppointments('con-1')).toMatchObject({
      ok: false,
      code: 'PROVIDER_BAD_RESPONSE',
      attempts: 1,
    });
  });

  it('a wrong shape is PROVIDER_BAD_RESPONSE with issue paths', async () => {
    const wrongShape: typeof fetch = async () =>
      new Response(JSON.stringify({ events: [{ id: 5, startTime: 'secret@example.com' }] }), { status: 200 });
    const r = await client({ fetch: wrongShape }).getContactAppointments('x');
    expect(r).toMatchObject({ ok: false, code: 'PROVIDER_BAD_RESPONSE', status: 200, attempts: 1 });
    expect(!r.ok && r.issues?.join(' ')).toMatch(/events\.0\.id/);
    expect(JSON.stringify(r)).not.toContain('secret@example.com');
  });

  it('retries 5xx and succeeds; gives up with PROVIDER_UNAVAILABLE after maxAttempts', async () => {
    sim.server.injectFault({ kind: 'status', status: 502 }, { count: 2 });
    expect((await client().getContactAppointments('con-1')).ok).toBe(true);
    sim.server.injectFault({ kind: 'status', status: 503 }, { count: 10 });
    const before = sim.server.countRequests();
    expect(await client().getContactAppointments('con-1')).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNAVAILABLE',
      status: 503,
      attempts: 3,
    });
    expect(sim.server.countRequests() - before).toBe(3);
  });

  it('times out slow responses: PROVIDER_UNREACHABLE (one code for every way of not reaching the API) after the retries', async () => {
    sim.server.injectFault({ kind: 'slow', delayMs: 400 }, { count: 2 });
    const r = await client({ timeoutMs: 80, retry: { ...fastRetry, maxAttempts: 2 } }).getContactAppointments('con-1');
    expect(r).toMatchObject({ ok: false, code: 'PROVIDER_UNREACHABLE', attempts: 2, detail: 'TIMEOUT' });
  });

  it('paced at the limit, 30 concurrent calls finish with no 429 and never over the limit', async () => {
    const limiter = new AccountRateLimiter('paced', LIMIT);
    sim.server.rateLimit = TIGHT;
    sim.server.resetStats();
    const c = client({ limiter });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => c.getContactAppointments(`con-${i % 3}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sim.server.rateLimitRejections).toBe(0);
    expect(sim.server.maxAcceptedInWindow(LOC)).toBeLessThanOrEqual(5);
    await limiter.stop();
  });

  it('a 429 storm (limiter set too fast) still answers every call, by backing off per GHL’s headers', async () => {
    const limiter = new AccountRateLimiter('too-fast', { maxRequests: 100, intervalMs: 200 });
    sim.server.rateLimit = TIGHT;
    sim.server.resetStats();
    const c = client({ limiter, retry: { ...fastRetry, maxRateLimitRetries: 20 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => c.getContactAppointments('con-1')));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(sim.server.rateLimitRejections).toBeGreaterThan(0);
    await limiter.stop();
  });

  it('a 429 slows that account only: another location keeps its pace', async () => {
    const a = registry.forAccount('ghl', LOC, LIMIT);
    const b = registry.forAccount('ghl', LOC_B, LIMIT);
    sim.server.rateLimit = TIGHT;
    expect(registry.forAccount('ghl', LOC, LIMIT)).toBe(a);
    sim.server.injectFault({ kind: 'rateLimited' }, { pathPrefix: '/contacts/con-1/' });
    const ca = client({ limiter: a });
    const cb = client({ limiter: b, accessToken: TOKEN_B, locationId: LOC_B });
    const slow = ca.getContactAppointments('con-1').then((r) => ({ r, at: Date.now() }));
    await waitFor(() => a.isPaused(), 5_000);
    expect(b.isPaused()).toBe(false);
    const fast = await cb.getContactAppointments('con-b').then((r) => ({ r, at: Date.now() }));
    const done = await slow;
    expect(fast.r.ok && done.r.ok).toBe(true);
    expect(fast.at).toBeLessThan(done.at);
  });

  it('the daily cap is final (PROVIDER_DAILY_LIMIT) and then answered locally without requests', async () => {
    const daily = new GhlSimulator({ rateLimit: { maxRequests: 100, windowMs: 10_000, dailyMax: 2 } });
    const dUrl = await daily.start();
    daily.addLocation({ locationId: LOC, accessToken: TOKEN });
    const limiter = new AccountRateLimiter('daily', { maxRequests: 100, intervalMs: 1000, dailyMax: 1000 });
    const c = client({ baseUrl: dUrl, limiter });
    expect((await c.getContactAppointments('x')).ok).toBe(true);
    expect((await c.getContactAppointments('x')).ok).toBe(true);
    expect(await c.getContactAppointments('x')).toMatchObject({
      ok: false,
      code: 'PROVIDER_DAILY_LIMIT',
      status: 429,
      attempts: 1,
    });
    const seen = daily.server.countRequests();
    expect(await c.getContactAppointments('x')).toMatchObject({ ok: false, code: 'PROVIDER_DAILY_LIMIT' });
    expect(daily.server.countRequests()).toBe(seen);
    expect(daily.server.methodsSeen()).toEqual(['GET']);
    await limiter.stop();
    await daily.close();
  });
});
