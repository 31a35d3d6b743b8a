import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseCalendlyInviteeList,
  parseCalendlyScheduledEventList,
  parseGhlCalendarEvents,
  parseGhlContactAppointments,
} from '@recon/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendlySimulator } from './calendly-simulator';
import { GhlSimulator } from './ghl-simulator';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = (p: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.resolve(repoRoot, '../shared/fixtures', p), 'utf8'));
const keysOf = (o: unknown) => Object.keys(o as object).sort();

const ghl = new GhlSimulator({ rateLimit: { maxRequests: 2, windowMs: 60_000, dailyMax: 1000 } });
const calendly = new CalendlySimulator({ rateLimit: { maxRequests: 100, windowMs: 60_000 } });
const ORG = 'https://api.calendly.com/organizations/o1';
let g = '';
let c = '';

beforeAll(async () => {
  [g, c] = await Promise.all([ghl.start(), calendly.start()]);
  ghl.addLocation({ locationId: 'L1', accessToken: 'g1' });
  ghl.generateAppointments({ locationId: 'L1', contactIds: ['c1'], count: 3, from: '2030-01-01T00:00:00Z', days: 10 });
  calendly.addUser({ accessToken: 'c1', organizationUri: ORG });
  const b = calendly.addBooking({
    organizationUri: ORG,
    email: 'a@example.com',
    startTime: '2030-01-02T10:00:00Z',
    guests: ['b@example.com'],
    utmContent: 'recon:lead-1',
  });
  calendly.markNoShow(b.inviteeUri);
  calendly.generateBookings({
    organizationUri: ORG,
    emails: ['x@example.com'],
    count: 4,
    from: '2030-01-01T00:00:00Z',
    days: 5,
  });
});
afterAll(async () => {
  await Promise.all([ghl.close(), calendly.close()]);
});

const get = (base: string, p: string, token: string, headers: Record<string, string> = {}) =>
  fetch(base + p, { headers: { Authorization: `Bearer ${token}`, ...headers } });

describe('provider simulators', () => {
  it('GHL: documented shapes (same keys as the fixtures), parsed by the domain schemas, with rate-limit headers', async () => {
    const res = await get(g, '/contacts/c1/appointments', 'g1', { Version: '2021-07-28' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-max')).toBe('2');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(res.headers.get('x-ratelimit-interval-milliseconds')).toBe('60000');
    expect(res.headers.get('x-ratelimit-daily-remaining')).toBe('999');
    const body = (await res.json()) as { events: unknown[] };
    expect(parseGhlContactAppointments(body).ok).toBe(true);
    const fixtureRow = (fixture('ghl/contact-appointments.json').events as unknown[])[0];
    expect(keysOf(body.events[0])).toEqual(keysOf(fixtureRow));
    expect((body.events[0] as { startTime: string }).startTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const events = await get(
      g,
      '/calendars/events?locationId=L1&calendarId=SimCal00000000000001&startTime=0&endTime=99999999999999',
      'g1',
      { Version: '2021-04-15' },
    );
    expect(parseGhlCalendarEvents(await events.json()).ok).toBe(true);
  });

  it('GHL: over the limit → 429 with X-RateLimit-Remaining 0; missing Version → 400; bad token → 401', async () => {
    const over = await get(g, '/contacts/c1/appointments', 'g1', { Version: '2021-07-28' });
    expect(over.status).toBe(429);
    expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await over.json()).toEqual(fixture('ghl/error-429.json'));
    expect(ghl.server.rateLimitRejections).toBe(1);
    expect((await get(g, '/contacts/c1/appointments', 'bad')).status).toBe(401);
    ghl.server.resetStats();
    expect((await get(g, '/contacts/c1/appointments', 'g1')).status).toBe(400);
  });

  it('Calendly: documented shapes, pagination tokens, hints carried (guests, utm, no_show)', async () => {
    const org = encodeURIComponent(ORG);
    const p1 = await get(c, `/scheduled_events?organization=${org}&count=2`, 'c1');
    expect(p1.headers.get('x-ratelimit-limit')).toBe('100');
    expect(Number(p1.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const page1 = (await p1.json()) as { collection: unknown[]; pagination: { next_page_token: string } };
    expect(parseCalendlyScheduledEventList(page1).ok).toBe(true);
    expect(keysOf(page1.pagination)).toEqual(keysOf(fixture('calendly/scheduled-events-page1.json').pagination));
    const seen = new Set<string>();
    let token: string | null = page1.pagination.next_page_token;
    for (const e of page1.collection) seen.add((e as { uri: string }).uri);
    while (token) {
      const page = (await (
        await get(c, `/scheduled_events?organization=${org}&count=2&page_token=${token}`, 'c1')
      ).json()) as { collection: Array<{ uri: string }>; pagination: { next_page_token: string | null } };
      page.collection.forEach((e) => seen.add(e.uri));
      token = page.pagination.next_page_token;
    }
    expect(seen.size).toBe(5);

    const mine = (await (
      await get(c, `/scheduled_events?organization=${org}&invitee_email=A%40example.com`, 'c1')
    ).json()) as { collection: Array<{ uri: string; event_guests: unknown[] }> };
    expect(mine.collection).toHaveLength(1);
    expect(mine.collection[0]?.event_guests).toEqual([expect.objectContaining({ email: 'b@example.com' })]);
    const uuid = mine.collection[0]?.uri.split('/').pop();
    const invitees = (await (await get(c, `/scheduled_events/${uuid}/invitees`, 'c1')).json()) as {
      collection: Array<Record<string, unknown>>;
    };
    expect(parseCalendlyInviteeList(invitees).ok).toBe(true);
    expect(keysOf(invitees.collection[0])).toEqual(
      keysOf((fixture('calendly/scheduled-event-invitees.json').collection as unknown[])[0]),
    );
    expect(invitees.collection[0]).toMatchObject({
      tracking: { utm_content: 'recon:lead-1' },
      no_show: { uri: expect.stringContaining('/invitee_no_shows/') },
    });
  });

  it('Calendly: organization is required and scoped; faults on demand; writes refused and counted', async () => {
    expect((await get(c, '/scheduled_events', 'c1')).status).toBe(400);
    expect(
      (
        await get(
          c,
          `/scheduled_events?organization=${encodeURIComponent('https://api.calendly.com/organizations/other')}`,
          'c1',
        )
      ).status,
    ).toBe(403);
    calendly.server.injectFault({ kind: 'status', status: 503 }, { count: 1 });
    expect((await get(c, `/scheduled_events?organization=${encodeURIComponent(ORG)}`, 'c1')).status).toBe(503);
    calendly.server.injectFault({ kind: 'malformed' });
    const bad = await get(c, `/scheduled_events?organization=${encodeURIComponent(ORG)}`, 'c1');
    await expect(bad.json()).rejects.toThrow();
    const post = await fetch(`${c}/invitee_no_shows`, {
      method: 'POST',
      headers: { Authorization: 'Bearer c1' },
      body: '{}',
    });
    expect(post.status).toBe(405);
    expect(calendly.server.methodsSeen()).toEqual(['GET', 'POST']);
    expect(calendly.server.countRequests({ method: 'POST' })).toBe(1);
  });
});
