/**
 * Erasure (docs/security.md, "Erasure"): `DELETE …/leads/:leadId/contact` destroys the keys that
 * sealed what the events say about the person (the lead's stream, its bookings' streams) and
 * appends `LeadContactErased`. Afterwards no table and no event holds the email, the name, the
 * operator's note or the email's hash under any key recon holds; a later booking by the same email
 * is unmatched; the lead's state and history stay — live and after a rebuild.
 */
import { appointmentStreamName, leadStreamName } from '@recon/domain';
import { rebuildProjections, type ProjectionsHandle } from '@recon/projections';
import { waitFor } from '@recon/testkit';
import { createEmailHasher } from '@recon/workspaces';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCalendlyWorkspace } from './testing/calendly-workspace';
import { CALENDLY_FIXTURE_KEY, fixtureBytes, signCalendly } from './testing/fixtures';
import { request } from './testing/http';
import { startProjectedTestApp, stopProjectedTestApp } from './testing/projected-app';
import { SECRET_KEY, type TestApp } from './testing/test-app';

const now = new Date('2026-03-02T14:05:20.000Z');
const EMAIL = 'jordan.lead@example.com';
const NAME = 'Jordan Lead';
const NOTE = 'Spoke to Jordan on +1 555 0100, rebooking next week';
const FIRST_INVITEE = (
  JSON.parse(fixtureBytes('calendly/invitee-created.json').toString('utf8')) as { payload: { uri: string } }
).payload.uri;
const LATER_EVENT = 'https://api.calendly.com/scheduled_events/bb8e0af6-f793-4ddc-867e-7cf6ccf16700';
const LATER_INVITEE = `${LATER_EVENT}/invitees/6d421669-731d-4542-b1ac-da029ae56a00`;
let t: TestApp;
let projections: ProjectionsHandle;

beforeAll(async () => {
  ({ t, projections } = await startProjectedTestApp({
    name: 'lead-erasure',
    clock: () => now,
    projectionsClock: () => new Date(),
  }));
});
afterAll(() => stopProjectedTestApp({ t, projections }));

function deliver(ws: string, raw: Buffer) {
  return request(t.baseUrl, 'POST', `/webhooks/calendly/${ws}`, {
    raw,
    headers: {
      'calendly-webhook-signature': signCalendly(raw, CALENDLY_FIXTURE_KEY, Math.floor(now.getTime() / 1000)),
    },
  });
}

/** The fixture booking moved to another event and invitee (same email and name): a new booking. */
function laterBooking(): Buffer {
  const body = JSON.parse(fixtureBytes('calendly/invitee-created.json').toString('utf8')) as {
    payload: Record<string, unknown> & { scheduled_event: Record<string, unknown> };
  };
  body.payload['uri'] = LATER_INVITEE;
  body.payload['event'] = LATER_EVENT;
  body.payload.scheduled_event['uri'] = LATER_EVENT;
  return Buffer.from(JSON.stringify(body));
}

/** Waits for the projections to reflect `position` (null: the store's head). */
async function caughtUp(position: string | null): Promise<void> {
  const result = await projections.waitUntilCaughtUp((position ?? undefined) as never, { timeoutMs: 15_000 });
  expect(result.ok).toBe(true);
}

/** Every text-like column of every table of every non-system schema holding `needle`: `schema.table.column`. */
async function scan(needle: string): Promise<string[]> {
  const columns = await sql<{ table_schema: string; table_name: string; column_name: string }>`
    SELECT c.table_schema, c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE tb.table_type = 'BASE TABLE'
      AND c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg_toast%'
      AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')
        OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))
    ORDER BY 1, 2, 3`.execute(t.db);
  const hits: string[] = [];
  for (const c of columns.rows) {
    const col = sql.ref(`${c.table_schema}.${c.table_name}.${c.column_name}`);
    const tbl = sql.table(`${c.table_schema}.${c.table_name}`);
    const found = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM ${tbl} WHERE position(lower(${needle}) IN lower(${col}::text)) > 0`.execute(t.db);
    if ((found.rows[0]?.n ?? 0) > 0) hits.push(`${c.table_schema}.${c.table_name}.${c.column_name}`);
  }
  return hits;
}

async function scanAll(hash: string) {
  return { email: await scan(EMAIL), name: await scan(NAME), note: await scan(NOTE), hash: await scan(hash) };
}

describe('erasing a lead contact', () => {
  it('leaves no email, name, note or hash anywhere, events included; a later booking is unmatched; state stays', async () => {
    const { ws, auth } = await createCalendlyWorkspace(t.baseUrl, 'erasure');
    const hash = createEmailHasher(SECRET_KEY)(ws, EMAIL);
    const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-erase`, {
      headers: auth,
      body: { email: EMAIL, name: NAME },
    });
    expect(put.status).toBe(201);
    await caughtUp(put.body['position'] as string);
    expect((await deliver(ws, fixtureBytes('calendly/invitee-created.json'))).body).toMatchObject({ matched: true });
    expect((await deliver(ws, fixtureBytes('calendly/invitee-canceled.json'))).body).toMatchObject({ matched: true });

    const task = await waitFor(
      async () => {
        const res = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/tasks?leadId=lead-erase`, { headers: auth });
        return (res.body['items'] as { id: string }[] | undefined)?.[0];
      },
      { timeoutMs: 15_000, description: 'the cancellation task' },
    );
    const resolved = await request(
      t.baseUrl,
      'POST',
      `/v1/workspaces/${ws}/tasks/${encodeURIComponent(task.id)}/resolve`,
      {
        headers: auth,
        body: { note: NOTE },
      },
    );
    expect(resolved.status).toBe(200);
    await caughtUp(resolved.body['position'] as string);
    // Before erasure the scan finds them in the read models too (the scan sees what it must).
    const before = await scanAll(hash);
    expect(before.email).toEqual(['public.lead_contacts.email']);
    expect(before.name).toEqual(['public.lead_contacts.name']);
    expect(before.note).toEqual(expect.arrayContaining([expect.stringMatching(/\.follow_up_tasks\.note$/)]));
    expect(before.hash).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.lead_identities\.email_hash$/),
        expect.stringMatching(/\.lead_lifecycle\.fold$/),
      ]),
    );
    // The events never held them in clear: sealed under the lead's and the booking's keys.
    expect(before.hash).not.toContain('eventstore.events.data');
    expect(before.note).not.toContain('eventstore.events.data');
    const bookingStream = appointmentStreamName(ws, 'calendly', FIRST_INVITEE);
    const keyRows = async () =>
      (
        await sql<{ stream_name: string }>`SELECT stream_name FROM stream_keys
          WHERE stream_name IN (${leadStreamName(ws, 'lead-erase')}, ${bookingStream}) ORDER BY 1`.execute(t.db)
      ).rows.map((r) => r.stream_name);
    expect(await keyRows()).toHaveLength(2);
    const [bookedBefore] = await t.store.readStream(bookingStream);
    expect(bookedBefore?.data['matchKeys']).toMatchObject({ inviteeEmailHash: hash });
    const leadBefore = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-erase`, { headers: auth });

    const erased = await request(t.baseUrl, 'DELETE', `/v1/workspaces/${ws}/leads/lead-erase/contact`, {
      headers: auth,
    });
    expect(erased.body).toEqual({ leadId: 'lead-erase', erased: true });
    await caughtUp(erased.headers.get('x-recon-position'));

    // (c) Nothing anywhere: the keys are gone, so the sealed fields read empty for every reader.
    const live = await scanAll(hash);
    expect(live).toEqual({ email: [], name: [], note: [], hash: [] });
    expect(await keyRows()).toEqual([]);
    const [bookedAfter] = await t.store.readStream(bookingStream);
    expect(bookedAfter?.data['leadId']).toBe('lead-erase');
    expect(bookedAfter?.data['matchKeys']).toMatchObject({ inviteeEmailHash: null, guestEmailHashes: [] });
    const resolvedEvent = (await t.store.readStream(leadStreamName(ws, 'lead-erase'))).find(
      (e) => e.type === 'FollowUpTaskResolved',
    );
    expect(resolvedEvent?.data['note']).toBeNull();

    // (b) The lead's booking state and appointments stay.
    const leadAfter = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-erase`, { headers: auth });
    expect(leadAfter.status).toBe(200);
    expect(leadAfter.body['state']).toBe(leadBefore.body['state']);
    expect(leadAfter.body['state']).toBe('canceled');
    const appointments = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-erase/appointments`, {
      headers: auth,
    });
    expect(appointments.body['items']).toHaveLength(1);
    // Time travel after the erasure answers what is left, as the live read does (issue 18 §5).
    const asOfAfter = await request(
      t.baseUrl,
      'GET',
      `/v1/workspaces/${ws}/leads/lead-erase?asOf=2100-01-01T00:00:00Z`,
      {
        headers: auth,
      },
    );
    expect(asOfAfter.body).toEqual({ ...leadAfter.body, asOf: now.toISOString() });

    // (d) A rebuild folds the erasure in order: same end state.
    const rebuilt = await rebuildProjections({ store: t.store, db: t.db });
    expect(rebuilt.ok).toBe(true);
    await caughtUp(null);
    expect(await scanAll(hash)).toEqual(live);
    const afterRebuild = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/leads/lead-erase`, { headers: auth });
    expect(afterRebuild.body['state']).toBe('canceled');

    // (a) A later booking by the same email matches no lead.
    expect((await deliver(ws, laterBooking())).body).toMatchObject({ status: 'accepted', matched: false });
    const [booked] = await t.store.readStream(appointmentStreamName(ws, 'calendly', LATER_INVITEE));
    expect(booked?.data['leadId']).toBeNull();
  });
});
