/**
 * Matching through the projections' lead_identities (the production LeadLookup) and the identities
 * process manager: a booking that arrived before its lead registered gets linked afterwards.
 */
import { appointmentStreamName } from '@recon/domain';
import type { ProjectionsHandle } from '@recon/projections';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, fixtureBytes, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { createCalendlyWorkspace } from './testing/calendly-workspace';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import type { TestApp } from './testing/test-app';

const now = new Date('2026-03-02T14:05:20.000Z');
const INVITEE_A =
  'https://api.calendly.com/scheduled_events/aa8e0af6-f793-4ddc-867e-7cf6ccf167f3/invitees/5d421669-731d-4542-b1ac-da029ae56aa5';
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({
    name: 'identity-linking',
    clock: () => now,
    projectionsClock: () => new Date(),
  }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

const calendlyWorkspace = (name: string) => createCalendlyWorkspace(t.baseUrl, name);

function deliverInviteeCreated(ws: string) {
  const raw = fixtureBytes('calendly/invitee-created.json');
  return request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: {
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    },
  });
}

describe('matching through lead_identities', () => {
  it('a lead registered (and projected) before its booking is matched at ingest', async () => {
    const { ws, auth } = await calendlyWorkspace('before');
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-early`, {
      headers: auth,
      body: { email: 'jordan.lead@example.com' },
    });
    expect((await projections.waitUntilCaughtUp(put.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    const res = await deliverInviteeCreated(ws);
    expect(res.body).toMatchObject({ status: 'accepted', matched: true });
    const [booked] = await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_A));
    expect(booked?.data['leadId']).toBe('lead-early');
  });

  it('a lead registered after its booking arrived gets linked', async () => {
    const { ws, auth } = await calendlyWorkspace('after');
    const res = await deliverInviteeCreated(ws);
    expect(res.body).toMatchObject({ status: 'accepted', matched: false });
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-late`, {
      headers: auth,
      body: { email: ' Jordan.Lead@Example.com ' },
    });
    const linked = await waitFor(
      async () =>
        (await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_A))).find(
          (e) => e.type === 'AppointmentLinkedToLead',
        ),
      { timeoutMs: 15_000, description: 'AppointmentLinkedToLead appended' },
    );
    expect(linked.data).toMatchObject({ leadId: 'lead-late', matchedBy: 'email' });
  });
});
