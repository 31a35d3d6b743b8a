import { generateKeyPairSync, sign } from 'node:crypto';
import { appointmentStreamName } from '@recon/domain';
import { createPostgresEventStore } from '@recon/eventstore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Pair, fixtureBytes, fixtureJson, signGhl, type Ed25519Pair } from './testing/fixtures';
import { errorCode, request } from './testing/http';
import { admin, SECRET_KEY, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let t: TestApp;
let pair: Ed25519Pair;

/** A test RSA pair for the legacy `x-wh-signature` (configured as the workspace's RSA key). */
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const signRsa = (body: Buffer | string) => sign('sha256', Buffer.from(body), rsa.privateKey).toString('base64');

async function ghlWorkspace(
  name: string,
  verification: { allowLegacyRsa?: boolean } = {},
): Promise<{ ws: string; auth: Record<string, string> }> {
  const { ws, auth } = await createWorkspaceWithKey(t.baseUrl, name);
  const put = await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/ghl`, {
    headers: admin,
    body: {
      accessToken: 'pit-secret-token',
      locationId: 'FakeLoc0000000000001',
      webhookVerification: { ed25519PublicKey: pair.publicKeyPem, rsaPublicKey: rsaPem, ...verification },
    },
  });
  expect(put.status).toBe(200);
  return { ws, auth };
}

function deliver(ws: string, raw: Buffer | string, signature?: string) {
  return request(t.baseUrl, 'POST', `/webhooks/ghl/${ws}`, {
    raw,
    headers: signature === undefined ? {} : { 'x-ghl-signature': signature },
  });
}

const stream = (ws: string, id: string) => appointmentStreamName(ws, 'ghl', id);

beforeAll(async () => {
  pair = ed25519Pair();
  t = await startTestApp({ name: 'ghl-webhooks', listen: true });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /webhooks/ghl/:ws', () => {
  it('create → update (rescheduled) → delete, matched by contactId; duplicates add nothing', async () => {
    const { ws, auth } = await ghlWorkspace('sequence');
    expect(
      (
        await request(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/lead-ghl`, {
          headers: auth,
          body: { ghlContactId: 'FakeCon0000000000001' },
        })
      ).status,
    ).toBe(201);
    const create = fixtureBytes('ghl/webhook-appointment-create.json');
    const update = fixtureBytes('ghl/webhook-appointment-update-rescheduled.json');
    const del = fixtureJson<{ appointment: Record<string, unknown>; timestamp: string }>(
      'ghl/webhook-appointment-delete.json',
    );
    del.appointment['id'] = 'FakeApt0000000000001';
    del.appointment['dateUpdated'] = '2026-05-28T09:00:00-05:00';
    // A delete repeats the appointment's last times (other times would be a move recon missed).
    del.appointment['startTime'] = '2030-06-18T10:00:00-05:00';
    del.appointment['endTime'] = '2030-06-18T10:30:00-05:00';
    del.timestamp = '2026-05-28T14:00:01.000Z';
    const deleteRaw = JSON.stringify(del);

    const first = await deliver(ws, create, signGhl(create, pair));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'accepted', matched: true });
    // A repeated creation is recognised by the store (same event ids): 200, nothing new appended.
    expect((await deliver(ws, create, signGhl(create, pair))).status).toBe(200);
    expect(await t.store.readStream(stream(ws, 'FakeApt0000000000001'))).toHaveLength(1);
    expect((await deliver(ws, update, signGhl(update, pair))).status).toBe(200);
    expect((await deliver(ws, deleteRaw, signGhl(deleteRaw, pair))).status).toBe(200);
    expect((await deliver(ws, deleteRaw, signGhl(deleteRaw, pair))).body['status']).toBe('duplicate');

    const events = await t.store.readStream(stream(ws, 'FakeApt0000000000001'));
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentRescheduled', 'AppointmentCanceled']);
    expect(events.every((e) => e.data['leadId'] === 'lead-ghl')).toBe(true);
    expect(events[1]?.data).toMatchObject({
      startAt: '2030-06-18T15:00:00.000Z',
      previousStartAt: '2030-06-11T15:00:00.000Z',
    });
    expect(events[2]?.data).toMatchObject({ deleted: true });
  });

  it('a cancellation seen first still records the booking, then the cancellation', async () => {
    const { ws } = await ghlWorkspace('cancelled');
    const raw = fixtureBytes('ghl/webhook-appointment-update-cancelled.json');
    expect((await deliver(ws, raw, signGhl(raw, pair))).body).toMatchObject({ status: 'accepted', matched: false });
    const events = await t.store.readStream(stream(ws, 'FakeApt0000000000002'));
    expect(events.map((e) => e.type)).toEqual(['AppointmentBooked', 'AppointmentCanceled']);
    expect(events[0]?.data['matchKeys']).toMatchObject({ ghlContactId: 'FakeCon0000000000001' });
  });

  it('bad signatures → 401 and no event; another location → 422; other types → 202', async () => {
    const { ws } = await ghlWorkspace('refused');
    const raw = fixtureBytes('ghl/webhook-appointment-create.json');
    const other = ed25519Pair();
    expect(errorCode(await deliver(ws, raw, signGhl(raw, other)))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(errorCode(await deliver(ws, raw))).toBe('WEBHOOK_SIGNATURE_MISSING');
    const tampered = Buffer.from(raw.toString('utf8').replace('confirmed', 'cancelled'));
    const res = await deliver(ws, tampered, signGhl(raw, pair));
    expect(res.status).toBe(401);
    expect(await t.store.readStream(stream(ws, 'FakeApt0000000000001'))).toEqual([]);

    const elsewhere = JSON.stringify({ ...fixtureJson('ghl/webhook-appointment-create.json'), locationId: 'FakeLoc9' });
    const mismatch = await deliver(ws, elsewhere, signGhl(elsewhere, pair));
    expect(mismatch.status).toBe(422);
    expect(errorCode(mismatch)).toBe('GHL_LOCATION_MISMATCH');
    const contact = JSON.stringify({ type: 'ContactCreate', locationId: 'FakeLoc0000000000001', id: 'x' });
    const ignored = await deliver(ws, contact, signGhl(contact, pair));
    expect(ignored.status).toBe(202);
  });

  it("locationId is required and must be the workspace's: missing or another (top level or nested) → final 422, nothing appended", async () => {
    const { ws } = await ghlWorkspace('location');
    const create = fixtureJson<Record<string, unknown> & { appointment: Record<string, unknown> }>(
      'ghl/webhook-appointment-create.json',
    );
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [
        'missing',
        Object.fromEntries(Object.entries(create).filter(([k]) => k !== 'locationId')),
        'GHL_LOCATION_MISSING',
      ],
      ['null', { ...create, locationId: null }, 'GHL_LOCATION_MISSING'],
      ['empty', { ...create, locationId: '' }, 'GHL_LOCATION_MISSING'],
      ['another location', { ...create, locationId: 'FakeLoc0000000000002' }, 'GHL_LOCATION_MISMATCH'],
      [
        'another nested location',
        { ...create, appointment: { ...create.appointment, locationId: 'FakeLoc0000000000002' } },
        'GHL_LOCATION_MISMATCH',
      ],
    ];
    for (const [name, body, code] of cases) {
      const raw = JSON.stringify(body);
      const res = await deliver(ws, raw, signGhl(raw, pair));
      expect({ name, status: res.status, code: errorCode(res) }).toEqual({ name, status: 422, code });
      // final for GHL: not the 429 it retries on
      expect(res.headers.get('retry-after')).toBeNull();
    }
    expect(await t.store.readStream(stream(ws, 'FakeApt0000000000001'))).toEqual([]);
    // the same delivery with the workspace's location is appended
    const good = JSON.stringify(create);
    expect((await deliver(ws, good, signGhl(good, pair))).body).toMatchObject({ status: 'accepted', events: 1 });
    expect(await t.store.readStream(stream(ws, 'FakeApt0000000000001'))).toHaveLength(1);
  });

  it('the signature is checked over the raw bytes before any parse: 256 KiB of malformed JSON gets the signature error', async () => {
    const { ws } = await ghlWorkspace('raw-first');
    const malformed = Buffer.concat([Buffer.from('{"type":"AppointmentCreate","x":"'), Buffer.alloc(250 * 1024, 'a')]);
    const unsigned = await deliver(ws, malformed);
    expect([unsigned.status, errorCode(unsigned)]).toEqual([401, 'WEBHOOK_SIGNATURE_MISSING']);
    const garbage = await deliver(ws, malformed, '!'.repeat(88));
    expect([garbage.status, errorCode(garbage)]).toEqual([401, 'WEBHOOK_SIGNATURE_INVALID']);
    const wrongLength = await deliver(ws, malformed, Buffer.alloc(63, 1).toString('base64'));
    expect([wrongLength.status, errorCode(wrongLength)]).toEqual([401, 'WEBHOOK_SIGNATURE_INVALID']);
    const forged = await deliver(ws, malformed, signGhl(malformed, ed25519Pair()));
    expect([forged.status, errorCode(forged)]).toEqual([401, 'WEBHOOK_SIGNATURE_INVALID']);
    // only a correctly signed body reaches the parser
    const signed = await deliver(ws, malformed, signGhl(malformed, pair));
    expect([signed.status, errorCode(signed)]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('the legacy RSA x-wh-signature is refused unless the workspace enables it, then accepted', async () => {
    const raw = fixtureBytes('ghl/webhook-appointment-create.json');
    const off = await ghlWorkspace('rsa-off');
    const refused = await request(t.baseUrl, 'POST', `/webhooks/ghl/${off.ws}`, {
      raw,
      headers: { 'x-wh-signature': signRsa(raw) },
    });
    expect([refused.status, errorCode(refused)]).toEqual([401, 'GHL_LEGACY_SIGNATURE_DISABLED']);
    expect(await t.store.readStream(stream(off.ws, 'FakeApt0000000000001'))).toEqual([]);
    // Ed25519 stays the default and works beside it
    expect((await deliver(off.ws, raw, signGhl(raw, pair))).status).toBe(200);

    const on = await ghlWorkspace('rsa-on', { allowLegacyRsa: true });
    const wrongKey = await request(t.baseUrl, 'POST', `/webhooks/ghl/${on.ws}`, {
      raw,
      headers: {
        'x-wh-signature': sign('sha256', raw, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey).toString(
          'base64',
        ),
      },
    });
    expect([wrongKey.status, errorCode(wrongKey)]).toEqual([401, 'WEBHOOK_SIGNATURE_INVALID']);
    const accepted = await request(t.baseUrl, 'POST', `/webhooks/ghl/${on.ws}`, {
      raw,
      headers: { 'x-wh-signature': signRsa(raw) },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', events: 1 });
    expect(await t.store.readStream(stream(on.ws, 'FakeApt0000000000001'))).toHaveLength(1);
    const view = await request(t.baseUrl, 'GET', `/v1/workspaces/${on.ws}/providers/ghl`, { headers: on.auth });
    expect(view.body['config']).toMatchObject({ webhookVerification: { allowLegacyRsa: true } });
  });

  it('store unavailable → 429 with Retry-After (GHL retries only 429), nothing written', async () => {
    const { ws } = await ghlWorkspace('store-down');
    const { buildApp, createLogger } = await import('../src/index');
    const { scanLeadLookup } = await import('@recon/ingest/testing');
    const deadStore = createPostgresEventStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none' });
    const app = await buildApp({
      db: t.db,
      store: deadStore,
      config: { adminToken: 'y'.repeat(30), secretKey: SECRET_KEY },
      leadLookup: scanLeadLookup(deadStore),
      log: createLogger({ level: 'silent' }),
    });
    try {
      const raw = fixtureBytes('ghl/webhook-appointment-create.json');
      const res = await app.inject({
        method: 'POST',
        url: `/webhooks/ghl/${ws}`,
        payload: raw,
        headers: { 'content-type': 'application/json', 'x-ghl-signature': signGhl(raw, pair) },
      });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json().error.code).toBe('WEBHOOK_RETRY_LATER');
    } finally {
      await app.close();
      await deadStore.close();
    }
    expect(await t.store.readStream(stream(ws, 'FakeApt0000000000001'))).toEqual([]);
  });

  it('GET providers/ghl shows the configuration without secrets', async () => {
    const { ws, auth } = await ghlWorkspace('view');
    const view = await request(t.baseUrl, 'GET', `/v1/workspaces/${ws}/providers/ghl`, { headers: auth });
    expect(view.status).toBe(200);
    expect(view.body['config']).toMatchObject({
      locationId: 'FakeLoc0000000000001',
      apiBaseUrl: 'https://services.leadconnectorhq.com',
      webhookVerification: { allowLegacyRsa: false },
    });
    expect(JSON.stringify(view.body)).not.toContain('pit-secret-token');
    expect(t.logLines.join('\n')).not.toContain('pit-secret-token');
  });
});
