import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendlySimulator } from '@recon/simulators';
import { createCalendlyClient } from './calendly-client';
import { readCalendlyObservationsByEmail, readCalendlyWindowObservations } from './read-calendly-observations';
import { outboundFetch } from '../outbound-fetch';
/** The simulator listens on http://127.0.0.1: private addresses allowed, explicitly. */
const simulatorFetch = outboundFetch({ policy: { allowPrivate: true } });

const ORG = 'https://api.calendly.com/organizations/org-1';
const ctx = {
  workspaceId: 'ws-1',
  source: 'poller',
  observedAt: '2026-06-01T00:00:00.000Z',
  leadId: 'lead-1',
} as const;
const calendly = new CalendlySimulator({ seed: 3 });
let calClient: ReturnType<typeof createCalendlyClient>;

beforeAll(async () => {
  const c = await calendly.start();
  calendly.addUser({ accessToken: 'c', organizationUri: ORG });
  calClient = createCalendlyClient({
    baseUrl: c,
    accessToken: 'c',
    organizationUri: ORG,
    pageSize: 2,
    fetch: simulatorFetch,
  });
});
afterAll(async () => {
  expect(calendly.server.methodsSeen()).toEqual(['GET']);
  await calendly.close();
});

describe('reading Calendly observations for the reconciler', () => {
  it('Calendly: a booking whose webhook never came is found by email; a reschedule keeps its chain', async () => {
    const b = calendly.addBooking({
      organizationUri: ORG,
      email: 'Lead@Example.com',
      startTime: '2030-01-10T10:00:00Z',
      guests: ['pa@example.com'],
    });
    calendly.addBooking({ organizationUri: ORG, email: 'other@example.com', startTime: '2030-01-11T10:00:00Z' });
    const moved = calendly.rescheduleInvitee(b.inviteeUri, '2030-01-12T10:00:00Z');
    const r = await readCalendlyObservationsByEmail(calClient, 'lead@example.com', ctx);
    if (!r.ok) throw new Error(r.code);
    const byId = new Map(r.value.observations.map((o) => [o.observation.providerAppointmentId, o]));
    expect(byId.size).toBe(2);
    expect(byId.get(b.inviteeUri)?.observation).toMatchObject({ status: 'canceled', rescheduledTo: moved.inviteeUri });
    expect(byId.get(moved.inviteeUri)?.observation).toMatchObject({
      status: 'scheduled',
      rescheduledFrom: b.inviteeUri,
      calendlyEventUri: moved.eventUri,
    });
    expect(byId.get(moved.inviteeUri)?.hints.guestEmails).toEqual(['pa@example.com']);
  });

  it('Calendly: the rolling window scan sees a later cancellation of a known event', async () => {
    const b = calendly.addBooking({ organizationUri: ORG, email: 'w@example.com', startTime: '2030-03-05T10:00:00Z' });
    calendly.cancelInvitee(b.inviteeUri, { by: 'host' });
    const r = await readCalendlyWindowObservations(
      calClient,
      { minStartTime: '2030-03-01T00:00:00Z', maxStartTime: '2030-03-31T00:00:00Z' },
      ctx,
    );
    expect(
      r.ok && r.value.observations.map((o) => [o.observation.status, o.observation.canceledBy, o.hints.inviteeEmail]),
    ).toEqual([['canceled', 'host', 'w@example.com']]);
  });

  it('a provider failure fails the read with its code, never an empty success', async () => {
    calendly.server.injectFault({ kind: 'status', status: 401 });
    expect(await readCalendlyObservationsByEmail(calClient, 'lead@example.com', ctx)).toMatchObject({
      ok: false,
      code: 'PROVIDER_UNAUTHORIZED',
    });
  });
});
