/**
 * Issue 13 defect 5: one fold of a lead everywhere. A booking matched by webhook through a UTM
 * token (the invitee's email is not the lead's) is the lead's evidence for check-now too, not only
 * for the read model: `POST …/leads/:leadId/check` answers booked, as `GET …/leads/:leadId` does.
 */
import type { ProjectionsHandle } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, fixtureJson, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { configureCalendly } from './testing/calendly-workspace';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import type { TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2026-03-02T14:05:20.000Z');
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({
    name: 'one-lead-fold',
    clock: () => now,
    reconcileRoutes: true,
  }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

/** The invitee-created fixture booked by someone else's email, carrying the lead's booking token in utm_content. */
function utmBooking(bookingToken: string): string {
  const body = fixtureJson<{ payload: { email: string; tracking: Record<string, unknown> } }>(
    'calendly/invitee-created.json',
  );
  body.payload.email = 'assistant.of.lead@example.com';
  body.payload.tracking = { ...body.payload.tracking, utm_content: bookingToken };
  return JSON.stringify(body);
}

describe('one fold of a lead', () => {
  it('a booking matched by webhook through UTM: check-now answers booked, same as GET lead', async () => {
    const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, 'utm');
    await configureCalendly(t.baseUrl, ws);
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-utm`, {
      headers: auth,
      body: { email: 'lead.utm@example.com' },
    });
    expect(put.status).toBe(201);
    const raw = utmBooking(put.body['bookingToken'] as string);
    const delivered = await request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
      raw,
      headers: {
        'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
      },
    });
    expect(delivered.body).toMatchObject({ status: 'accepted', matched: true });
    expect((await projections.waitUntilCaughtUp(delivered.body['position'] as never, { timeoutMs: 10_000 })).ok).toBe(
      true,
    );

    const lead = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-utm`, { headers: auth });
    expect(lead.body['state']).toBe('booked');
    const checked = await request(t.baseUrl, 'POST', `/v1/workspaces/${ws}/leads/lead-utm/check`, {
      headers: auth,
      body: {},
    });
    expect(checked.status).toBe(200);
    expect(checked.body['state']).toBe('booked');
  });
});
