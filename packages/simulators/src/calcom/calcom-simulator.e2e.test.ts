import { readFileSync } from 'node:fs';
import { parseCalcomBookingList } from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalcomSimulator } from './calcom-simulator';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../domain/src/providers/calcom/fixtures/${name}`, import.meta.url), 'utf8'));
const keysOf = (o: unknown) => Object.keys(o as object).sort();
const V = { 'cal-api-version': '2024-08-13' };

const now = Date.parse('2026-03-20T12:00:00Z');
const sim = new CalcomSimulator({ rateLimit: { maxRequests: 50, windowMs: 60_000 }, clock: () => now });
let base = '';
let host = 0;

const get = (p: string, token = 'cal_live_sim', headers: Record<string, string> = V) =>
  fetch(base + p, { headers: { Authorization: `Bearer ${token}`, ...headers } });

beforeAll(async () => {
  base = await sim.start();
  host = sim.addUser({ accessToken: 'cal_live_sim', email: 'avery.host@example.com' });
  sim.addUser({ accessToken: 'cal_live_other' });
  const one = sim.addBooking({
    hostUserId: host,
    email: 'riley.lead@example.com',
    startTime: '2026-03-10T15:00:00Z',
    at: '2026-03-02T14:05:11Z',
  });
  sim.cancelBooking(one.uid, { at: '2026-03-04T09:12:40Z' });
  const two = sim.addBooking({
    hostUserId: host,
    email: 'riley.lead@example.com',
    startTime: '2026-03-12T16:00:00Z',
    at: '2026-03-05T10:20:33Z',
  });
  const three = sim.rescheduleBooking(two.uid, '2026-03-13T17:00:00Z', { at: '2026-03-09T08:45:02Z' });
  sim.markAbsent(three.uid, 'riley.lead@example.com');
  sim.addBooking({
    hostUserId: host,
    email: 'riley.lead@example.com',
    startTime: '2030-06-11T15:00:00Z',
    at: '2026-03-20T11:00:04Z',
  });
  for (let i = 0; i < 5; i++)
    sim.addBooking({ hostUserId: host, email: `other${i}@example.com`, startTime: `2030-07-0${i + 1}T10:00:00Z` });
});
afterAll(async () => {
  await sim.close();
});

describe('Cal.com API v2 simulator', () => {
  it('GET /v2/bookings?attendeeEmail: the documented shape (keys as the fixture), parsed by the domain, reschedule links and absence carried', async () => {
    const res = await get('/v2/bookings?attendeeEmail=riley.lead%40example.com&sortStart=asc');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit-default')).toBe('50');
    expect(Number(res.headers.get('x-ratelimit-reset-default'))).toBeGreaterThan(0);
    const body = (await res.json()) as { data: Record<string, unknown>[]; pagination: Record<string, unknown> };
    expect(parseCalcomBookingList(body).ok).toBe(true);
    const expected = fixture('bookings-list.json') as { data: Record<string, unknown>[]; pagination: unknown };
    expect(keysOf(body.pagination)).toEqual(keysOf(expected.pagination));
    expect(body.data.map((b) => b['status'])).toEqual(['cancelled', 'cancelled', 'accepted', 'accepted']);
    body.data.forEach((b, i) => expect(keysOf(b)).toEqual(keysOf(expected.data[i])));
    expect(body.data[1]?.['rescheduledToUid']).toBe(body.data[2]?.['uid']);
    expect(body.data[2]?.['rescheduledFromUid']).toBe(body.data[1]?.['uid']);
    expect((body.data[2]?.['attendees'] as { absent: boolean }[])[0]?.absent).toBe(true);
    expect(body.data[2]?.['updatedAt']).toBe('2026-03-09T08:45:02.000Z');
  });

  it('attendeeEmail is exact and case-sensitive; status and time filters; another key sees none of these bookings', async () => {
    const upper = (await (await get('/v2/bookings?attendeeEmail=Riley.Lead%40example.com')).json()) as {
      data: unknown[];
    };
    expect(upper.data).toHaveLength(0);
    const upcoming = (await (
      await get('/v2/bookings?attendeeEmail=riley.lead%40example.com&status=upcoming')
    ).json()) as { data: { start: string }[] };
    expect(upcoming.data.map((b) => b.start)).toEqual(['2030-06-11T15:00:00.000Z']);
    const cancelled = (await (await get('/v2/bookings?status=cancelled')).json()) as { data: unknown[] };
    expect(cancelled.data).toHaveLength(2);
    const window = (await (
      await get('/v2/bookings?afterStart=2030-07-02T00:00:00Z&beforeEnd=2030-07-04T00:00:00Z')
    ).json()) as { data: unknown[] };
    expect(window.data).toHaveLength(2);
    const other = (await (await get('/v2/bookings', 'cal_live_other')).json()) as { data: unknown[] };
    expect(other.data).toHaveLength(0);
  });

  it('offset pagination: take/skip pages cover every booking once, with the documented arithmetic', async () => {
    const seen: string[] = [];
    for (let skip = 0; ; skip += 4) {
      const page = (await (await get(`/v2/bookings?take=4&skip=${skip}&sortStart=asc`)).json()) as {
        data: { uid: string }[];
        pagination: Record<string, unknown>;
      };
      seen.push(...page.data.map((b) => b.uid));
      expect(page.pagination).toMatchObject({
        itemsPerPage: 4,
        totalItems: 9,
        currentPage: skip / 4 + 1,
        totalPages: 3,
      });
      if (!page.pagination['hasNextPage']) break;
    }
    expect(new Set(seen).size).toBe(9);
    expect((await get('/v2/bookings?take=251')).status).toBe(400);
  });

  it('no cal-api-version → the legacy shape, which the 2024-08-13 parser refuses', async () => {
    const res = await get('/v2/bookings', 'cal_live_sim', {});
    expect(res.status).toBe(200);
    expect(parseCalcomBookingList(await res.json()).ok).toBe(false);
  });

  it('401 for an unknown key and 429 over the limit, with the documented error envelopes and rate-limit headers (no Retry-After)', async () => {
    const unauthorized = await get('/v2/bookings', 'cal_live_nope');
    expect(unauthorized.status).toBe(401);
    const body401 = (await unauthorized.json()) as Record<string, unknown>;
    expect(keysOf(body401)).toEqual(keysOf(fixture('error-401.json')));
    expect(body401['error']).toEqual(fixture('error-401.json')['error']);

    sim.server.resetStats();
    sim.server.rateLimit = { maxRequests: 2, windowMs: 60_000 };
    try {
      await get('/v2/bookings');
      await get('/v2/bookings');
      const limited = await get('/v2/bookings');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-ratelimit-remaining-default')).toBe('0');
      expect(Number(limited.headers.get('x-ratelimit-reset-default'))).toBeGreaterThan(0);
      expect(limited.headers.get('retry-after')).toBeNull();
      expect(((await limited.json()) as Record<string, unknown>)['error']).toEqual(fixture('error-429.json')['error']);
    } finally {
      sim.server.rateLimit = { maxRequests: 50, windowMs: 60_000 };
      sim.server.resetStats();
    }
  });

  it('faults: malformed body, wrong shape, 5xx, slow', async () => {
    sim.server.injectFault({ kind: 'malformed' });
    await expect((await get('/v2/bookings')).json()).rejects.toThrow();
    sim.server.injectFault({ kind: 'wrongShape' });
    expect(parseCalcomBookingList(await (await get('/v2/bookings')).json()).ok).toBe(false);
    sim.server.injectFault({ kind: 'status', status: 503 });
    expect((await get('/v2/bookings')).status).toBe(503);
    sim.server.injectFault({ kind: 'slow', delayMs: 300 });
    await expect(
      fetch(`${base}/v2/bookings`, {
        headers: { Authorization: 'Bearer cal_live_sim', ...V },
        signal: AbortSignal.timeout(50),
      }),
    ).rejects.toThrow();
  });

  it('read-only: any other method → 405', async () => {
    const res = await fetch(`${base}/v2/bookings`, {
      method: 'POST',
      headers: { Authorization: 'Bearer cal_live_sim', ...V },
    });
    expect(res.status).toBe(405);
    expect(sim.server.methodsSeen()).toContain('POST');
  });
});
