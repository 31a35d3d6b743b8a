import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GhlSimulator } from '@recon/simulators';
import { createGhlClient } from './ghl-client';
import { readGhlContactObservations } from './read-ghl-observations';
import { outboundFetch } from '../outbound-fetch';
/** The simulator listens on http://127.0.0.1: private addresses allowed, explicitly. */
const simulatorFetch = outboundFetch({ policy: { allowPrivate: true } });

const ctx = {
  workspaceId: 'ws-1',
  source: 'poller',
  observedAt: '2026-06-01T00:00:00.000Z',
  leadId: 'lead-1',
} as const;
const ghl = new GhlSimulator();
let ghlClient: ReturnType<typeof createGhlClient>;

beforeAll(async () => {
  const g = await ghl.start();
  ghl.addLocation({ locationId: 'L1', accessToken: 'g', timeZone: 'Europe/Berlin' });
  ghlClient = createGhlClient({ baseUrl: g, accessToken: 'g', locationId: 'L1', fetch: simulatorFetch });
});
afterAll(async () => {
  expect(ghl.server.methodsSeen()).toEqual(['GET']);
  await ghl.close();
});

describe('reading GHL observations for the reconciler', () => {
  it('GHL: an appointment created outside recon is found; an unknown status is skipped with its code', async () => {
    const appt = ghl.addAppointment({ locationId: 'L1', contactId: 'con-1', startTime: '2030-06-18T08:00:00Z' });
    ghl.addAppointment({
      locationId: 'L1',
      contactId: 'con-1',
      startTime: '2030-06-19T08:00:00Z',
      appointmentStatus: 'teleported',
    });
    const r = await readGhlContactObservations(ghlClient, 'con-1', ctx);
    if (!r.ok) throw new Error(r.code);
    expect(r.value.observations.map((o) => o.observation)).toEqual([
      expect.objectContaining({
        providerAppointmentId: appt.id,
        status: 'scheduled',
        startAt: '2030-06-18T08:00:00.000Z',
        leadId: 'lead-1',
        source: 'poller',
      }),
    ]);
    expect(r.value.skipped).toEqual([{ providerAppointmentId: expect.any(String), code: 'GHL_STATUS_UNKNOWN' }]);
    ghl.updateAppointment(appt.id, { appointmentStatus: 'cancelled' });
    const again = await readGhlContactObservations(ghlClient, 'con-1', ctx);
    expect(again.ok && again.value.observations[0]?.observation.status).toBe('canceled');
  });
});
