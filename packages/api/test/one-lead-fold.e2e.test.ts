/**
 * Issue 13 defect 5: one fold of a lead everywhere. A booking matched by webhook through a UTM
 * token (the invitee's email is not the lead's) is the lead's evidence for check-now too, not only
 * for the read model: `POST …/leads/:leadId/check` answers booked, as `GET …/leads/:leadId` does.
 */
import { migrateProjections, startProjections, type ProjectionsHandle } from '@recon/projections';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_FIXTURE_KEY, fixtureJson, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

const now = new Date('2026-03-02T14:05:20.000Z');
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  t = await startTestApp({
    name: 'one-lead-fold',
    listen: true,
    clock: () => now,
    productionLookup: true,
    reconcileRoutes: true,
  });
  await migrateProjections(t.db as unknown as Kysely<unknown>);
  projections = startProjections({
    store: t.store,
    db: t.db,
    clock: () => now,
    options: { linkDispatchIntervalMs: 50 },
  });
});
afterAll(async () => {
  await projections?.stop();
  await t?.close();
});

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
    await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calendly`, {
      headers: admin,
      body: {
        accessToken: 'tok',
        organizationUri: 'https://api.calendly.com/organizations/x',
        webhookSigningKey: CALENDLY_FIXTURE_KEY,
      },
    });
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
