/**
 * Booking tokens over HTTP (issue 15, finding 2): a booking page is public, so whoever books can
 * write any `utm_content`. The lead feed answers each lead's signed `bookingToken`; a Calendly or
 * Cal.com delivery names a lead by UTM only when its token's MAC verifies for the delivery's
 * workspace. Spoofed tokens (unsigned, wrongly signed, signed for another workspace) leave the
 * booking unmatched — the named lead is not booked, no UTM match key is recorded (so no later
 * identity link either) — and are counted in `recon_booking_tokens_refused_total{provider,reason}`.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { appointmentStreamName } from '@recon/domain';
import type { ProjectionsHandle } from '@recon/projections';
import { createBookingTokens } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, fixtureJson, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import { admin, SECRET_KEY, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2026-03-02T14:05:20.000Z');
let t: TestApp;
let projections: ProjectionsHandle;

const CALENDLY_INVITEE =
  'https://api.calendly.com/scheduled_events/aa8e0af6-f793-4ddc-867e-7cf6ccf167f3/invitees/5d421669-731d-4542-b1ac-da029ae56aa5';
const CALCOM_UID = 'fakeBkgUid000000000001';
const calcomDir = new URL('../../domain/src/providers/calcom/fixtures/', import.meta.url);
const calcomJson = <T>(name: string) => JSON.parse(readFileSync(new URL(name, calcomDir)).toString('utf8')) as T;
const CALCOM_SECRET = calcomJson<{ secret: string }>('signature-vectors.json').secret;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({ name: 'booking-tokens', clock: () => now }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

type ProviderName = 'calendly' | 'calcom';

interface ProviderCase {
  readonly configure: Record<string, string>;
  /** The provider's booking fixture (the booker's email matches no lead) with `utm_content` set. */
  body(utmContent: string): string;
  headers(raw: string): Record<string, string>;
  readonly appointmentId: string;
}

const providers: Record<ProviderName, ProviderCase> = {
  calendly: {
    configure: {
      accessToken: 'pat-secret',
      organizationUri: 'https://api.calendly.com/organizations/ecff6680',
      webhookSigningKey: CALENDLY_FIXTURE_KEY,
    },
    body: (utmContent) => {
      const d = fixtureJson<{ payload: { tracking: Record<string, unknown> } }>('calendly/invitee-created.json');
      d.payload.tracking = { ...d.payload.tracking, utm_content: utmContent };
      return JSON.stringify(d);
    },
    headers: (raw) => ({
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    }),
    appointmentId: CALENDLY_INVITEE,
  },
  calcom: {
    configure: { accessToken: 'cal_live_tokens', webhookSecret: CALCOM_SECRET },
    body: (utmContent) => {
      const d = calcomJson<{ payload: Record<string, unknown> }>('webhook-booking-created.json');
      d.payload['tracking'] = { utm_content: utmContent };
      return JSON.stringify(d);
    },
    headers: (raw) => ({ 'x-cal-signature-256': createHmac('sha256', CALCOM_SECRET).update(raw).digest('hex') }),
    appointmentId: CALCOM_UID,
  },
};

let seq = 0;

/** A workspace with the provider configured and the lead `lead-target`, whose email no booking carries. */
async function workspace(provider: ProviderName) {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, `tokens-${provider}-${++seq}`);
  const configured = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/${provider}`, {
    headers: admin,
    body: providers[provider].configure,
  });
  expect(configured.status).toBe(200);
  const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-target`, {
    headers: auth,
    body: { email: `target.${seq}@example.net` },
  });
  expect(put.status).toBe(201);
  expect((await projections.waitUntilCaughtUp(put.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
  return { ws, auth, bookingToken: put.body['bookingToken'] as string };
}

async function refusedCount(provider: ProviderName, reason: 'unsigned' | 'invalid'): Promise<number> {
  const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('recon_booking_tokens_refused_total{') &&
        l.includes(`provider="${provider}"`) &&
        l.includes(`reason="${reason}"`),
    );
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

const MAC_OF_ZEROS = 'AAAAAAAAAAAAAAAAAAAAAA';

const spoofs: {
  readonly name: string;
  readonly reason: 'unsigned' | 'invalid';
  token(own: string, otherWorkspace: string): string;
}[] = [
  { name: 'unsigned recon:<leadId>', reason: 'unsigned', token: () => 'recon:lead-target' },
  { name: 'a MAC of the wrong length', reason: 'unsigned', token: () => 'recon:lead-target.abc' },
  { name: 'a wrongly signed token', reason: 'invalid', token: () => `recon:lead-target.${MAC_OF_ZEROS}` },
  {
    name: 'the lead’s own token with one MAC character changed',
    reason: 'invalid',
    token: (own) =>
      `recon:lead-target.${own.slice(own.lastIndexOf('.') + 1).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
  },
  { name: 'a token signed for another workspace', reason: 'invalid', token: (_own, other) => other },
];

describe.each(['calendly', 'calcom'] as const)('booking tokens on %s deliveries', (provider) => {
  it.each(spoofs)('$name → the named lead is not booked, the refusal is counted', async ({ reason, token }) => {
    const { ws, auth, bookingToken } = await workspace(provider);
    const other = await workspace(provider); // the same lead id in another workspace: its token
    const spoofed = token(bookingToken, other.bookingToken);
    const before = await refusedCount(provider, reason);

    const raw = providers[provider].body(spoofed);
    const res = await request(t.baseUrl, 'POST', `/webhooks/${provider}/${ws}`, {
      raw,
      headers: providers[provider].headers(raw),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', matched: false });
    expect(await refusedCount(provider, reason)).toBe(before + 1);

    const events = await t.store.readStream(appointmentStreamName(ws, provider, providers[provider].appointmentId));
    expect(events[0]?.data['leadId']).toBeNull();
    expect(events[0]?.data['matchKeys']).toMatchObject({ utmLeadIds: [] });
    expect((await projections.waitUntilCaughtUp(res.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    expect(events.some((e) => e.type === 'AppointmentLinkedToLead')).toBe(false);
    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-target`, { headers: auth });
    expect(lead.body['state']).not.toBe('booked');
    expect(lead.body['appointment']).toBeNull();
  });

  it('a valid token → matched to its lead by UTM although the booker’s email matches nothing', async () => {
    const { ws, auth, bookingToken } = await workspace(provider);
    const refused = [await refusedCount(provider, 'unsigned'), await refusedCount(provider, 'invalid')];
    const raw = providers[provider].body(bookingToken);
    const res = await request(t.baseUrl, 'POST', `/webhooks/${provider}/${ws}`, {
      raw,
      headers: providers[provider].headers(raw),
    });
    expect(res.body).toMatchObject({ status: 'accepted', matched: true });
    const [first] = await t.store.readStream(appointmentStreamName(ws, provider, providers[provider].appointmentId));
    expect(first?.data['leadId']).toBe('lead-target');
    expect(first?.data['matchKeys']).toMatchObject({ utmLeadIds: ['lead-target'] });
    expect([await refusedCount(provider, 'unsigned'), await refusedCount(provider, 'invalid')]).toEqual(refused);
    expect((await projections.waitUntilCaughtUp(res.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-target`, { headers: auth });
    expect(lead.body['state']).toBe('booked');
  });
});

describe('the lead responses carry the booking token', () => {
  it('PUT, batch and GET lead answer the same token, and it verifies for that workspace only', async () => {
    const { ws, auth, bookingToken } = await workspace('calendly');
    const tokens = createBookingTokens(SECRET_KEY);
    expect(bookingToken).toMatch(/^recon:lead-target\.[A-Za-z0-9_-]{22}$/);
    expect(tokens.verify(ws, bookingToken)).toEqual({ ok: true, leadId: 'lead-target' });
    expect(tokens.verify('ws_other', bookingToken)).toEqual({ ok: false, code: 'BOOKING_TOKEN_INVALID' });

    const again = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-target`, {
      headers: auth,
      body: { email: `target.${seq}@example.net` },
    });
    expect(again.body).toMatchObject({ leadId: 'lead-target', status: 'unchanged', bookingToken });

    const batch = await request(t.baseUrl, 'POST', `/v1/workspaces/${ws}/leads:batch`, {
      headers: auth,
      body: { leads: [{ leadId: 'lead-b', email: 'b@example.net' }, { email: 'no-id@example.net' }] },
    });
    expect(batch.status).toBe(200);
    const [written, invalid] = batch.body['results'] as Record<string, unknown>[];
    expect(written).toMatchObject({ leadId: 'lead-b', status: 'created' });
    expect(tokens.verify(ws, written?.['bookingToken'] as string)).toEqual({ ok: true, leadId: 'lead-b' });
    expect(invalid).toMatchObject({ status: 'invalid' });
    expect(invalid).not.toHaveProperty('bookingToken');

    const read = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-target`, { headers: auth });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ leadId: 'lead-target', bookingToken });
  });
});
