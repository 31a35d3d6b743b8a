/**
 * Issue 13 defect 8 (one email on two leads): the booking is not silently given to the smallest
 * lead id, neither at ingest nor by the identities process manager; it stays unmatched with the
 * reason `ambiguous` and both candidate lead ids in the unmatched appointments API.
 */
import { appointmentStreamName } from '@recon/domain';
import type { ProjectionsHandle } from '@recon/projections';
import { sql } from 'kysely';
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
    name: 'ambiguous-email',
    clock: () => now,
    reconcileRoutes: true,
  }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

const setup = (name: string) => createCalendlyWorkspace(t.baseUrl, name);

function deliverInviteeCreated(ws: string) {
  const raw = fixtureBytes('calendly/invitee-created.json');
  return request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: {
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    },
  });
}

async function unmatched(ws: string, auth: Record<string, string>) {
  const res = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/appointments?unmatched=true&limit=10`, {
    headers: auth,
  });
  expect(res.status).toBe(200);
  return (
    res.body['items'] as {
      providerAppointmentId: string;
      leadId: string | null;
      reason: string;
      candidateLeadIds: string[];
    }[]
  ).map((i) => [i.providerAppointmentId, i.leadId, i.reason, i.candidateLeadIds]);
}

describe('one email on two leads', () => {
  it('leads registered before the booking: kept unmatched at ingest, reason ambiguous with both candidates', async () => {
    const { ws, auth } = await setup('before');
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-b`, {
      headers: auth,
      body: { email: 'jordan.lead@example.com' },
    });
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-a`, {
      headers: auth,
      body: { email: 'Jordan.Lead@example.com' },
    });
    expect((await projections.waitUntilCaughtUp(put.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    const res = await deliverInviteeCreated(ws);
    expect(res.body).toMatchObject({ status: 'accepted', matched: false });
    expect((await projections.waitUntilCaughtUp(res.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(true);
    expect(await unmatched(ws, auth)).toEqual([[INVITEE_A, null, 'ambiguous', ['lead-a', 'lead-b']]]);
    // … and the identities process manager, which saw the booking with both leads known, asked for no link
    const { rows } = await sql<{
      n: string;
    }>`SELECT count(*) AS n FROM projection_link_requests WHERE workspace_id = ${ws}`.execute(t.db);
    expect(Number(rows[0]?.n)).toBe(0);
    expect((await t.store.readStream(appointmentStreamName(ws, 'calendly', INVITEE_A))).map((e) => e.type)).toEqual([
      'AppointmentBooked',
    ]);
  });
});
