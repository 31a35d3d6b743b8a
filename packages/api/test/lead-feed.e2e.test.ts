import { leadStreamName } from '@recon/domain';
import { getLeadContact } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, startTestApp, type TestApp } from './testing/test-app';

let t: TestApp;
let ws: string;
let key: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      authorization: `Bearer ${key}`,
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

beforeAll(async () => {
  t = await startTestApp({ name: 'lead-feed', listen: true });
  const created = await fetch(`${t.baseUrl}/v1/workspaces`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Acme' }),
  });
  expect(created.status).toBe(201);
  ws = ((await created.json()) as { id: string }).id;
  const k = await fetch(`${t.baseUrl}/v1/workspaces/${ws}/api-keys`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'crm' }),
  });
  expect(k.status).toBe(201);
  key = ((await k.json()) as { key: string }).key;
});
afterAll(async () => {
  await t?.close();
});

describe('lead feed over HTTP', () => {
  const lead = {
    email: 'Jordan.Lead@Example.com',
    name: 'Jordan Lead',
    ghlContactId: 'FakeCon0000000000001',
    sentiment: { label: 'Meeting Booked', classifiedAt: '2026-03-02T14:00:00Z' },
  };

  it('PUT creates (201), the same body again adds no events (200 unchanged)', async () => {
    const first = await call('PUT', `/v1/workspaces/${ws}/leads/lead-1`, lead);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ leadId: 'lead-1', status: 'created' });
    expect(typeof first.body['position']).toBe('string');
    expect(first.headers.get('x-recon-position')).toBe(first.body['position']);
    const events = await t.store.readStream(leadStreamName(ws, 'lead-1'));
    expect(events.map((e) => e.type)).toEqual(['LeadRegistered', 'LeadSentimentClassified']);
    expect(JSON.stringify(events.map((e) => e.data))).not.toMatch(/jordan|example\.com/i);

    const second = await call('PUT', `/v1/workspaces/${ws}/leads/lead-1`, lead);
    expect(second.status).toBe(200);
    expect(second.body['status']).toBe('unchanged');
    expect(await t.store.readStream(leadStreamName(ws, 'lead-1'))).toHaveLength(2);
  });

  it('PUT with a changed email appends LeadContactChanged; an older sentiment is ignored', async () => {
    const changed = await call('PUT', `/v1/workspaces/${ws}/leads/lead-1`, {
      email: 'jordan@example.org',
      sentiment: { label: 'Interested', classifiedAt: '2026-03-01T00:00:00Z' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body['status']).toBe('updated');
    const types = (await t.store.readStream(leadStreamName(ws, 'lead-1'))).map((e) => e.type);
    expect(types).toEqual(['LeadRegistered', 'LeadSentimentClassified', 'LeadContactChanged']);
    expect(await getLeadContact(t.db, { workspaceId: ws, leadId: 'lead-1' })).toMatchObject({
      email: 'jordan@example.org',
      name: 'Jordan Lead',
    });
  });

  it('unicode lead ids work end to end', async () => {
    const id = 'lead-ü-😀-%/é';
    const put = await call('PUT', `/v1/workspaces/${ws}/leads/${encodeURIComponent(id)}`, { ghlContactId: 'c-1' });
    expect(put.status).toBe(201);
    expect(put.body['leadId']).toBe(id);
    expect(await t.store.readStream(leadStreamName(ws, id))).toHaveLength(1);
  });

  it('batch: per-item results; one invalid item never drops the others', async () => {
    const res = await call('POST', `/v1/workspaces/${ws}/leads:batch`, {
      leads: [
        { leadId: 'b-1', email: 'b1@example.com' },
        { leadId: 'b-2', email: 'not-an-email' },
        { leadId: 'lead-1', email: 'jordan@example.org' },
        { leadId: 'b-1', email: 'dup@example.com' },
        { leadId: 'b-3', sentiment: { label: 'Interested', classifiedAt: '2026-03-02T00:00:00Z' } },
        42,
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body['results'] as { status: string; code?: string; leadId: string | null }[];
    expect(results.map((r) => r.status)).toEqual(['created', 'invalid', 'unchanged', 'invalid', 'created', 'invalid']);
    expect(results[1]?.code).toBe('VALIDATION_FAILED');
    expect(results[3]?.code).toBe('DUPLICATE_LEAD_ID');
    expect(JSON.stringify(res.body)).not.toContain('not-an-email');
    expect(await t.store.readStream(leadStreamName(ws, 'b-2'))).toHaveLength(0);
  });

  it('batch over 1,000 items → 400 BATCH_TOO_LARGE and nothing appended', async () => {
    const leads = Array.from({ length: 1001 }, (_, i) => ({ leadId: `big-${i}` }));
    const res = await call('POST', `/v1/workspaces/${ws}/leads:batch`, { leads });
    expect(res.status).toBe(400);
    expect((res.body['error'] as { code: string }).code).toBe('BATCH_TOO_LARGE');
    expect(await t.store.readStream(leadStreamName(ws, 'big-0'))).toHaveLength(0);
  });

  it('messages record inbound activity once; unknown leads → 404', async () => {
    const inbound = await call('POST', `/v1/workspaces/${ws}/leads/lead-1/messages`, {
      direction: 'inbound',
      at: '2026-03-03T10:00:00Z',
    });
    expect(inbound.status).toBe(200);
    expect(inbound.body['recorded']).toBe(true);
    const again = await call('POST', `/v1/workspaces/${ws}/leads/lead-1/messages`, {
      direction: 'inbound',
      at: '2026-03-03T10:00:00Z',
    });
    expect(again.body['recorded']).toBe(false);
    const older = await call('POST', `/v1/workspaces/${ws}/leads/lead-1/messages`, {
      direction: 'outbound',
      at: '2026-03-01T10:00:00Z',
    });
    expect(older.body['recorded']).toBe(false);
    const events = (await t.store.readStream(leadStreamName(ws, 'lead-1'))).filter(
      (e) => e.type === 'LeadInboundActivityRecorded',
    );
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ lastInboundAt: '2026-03-03T10:00:00.000Z', lastMessageDirection: 'inbound' }),
    ]);
    const missing = await call('POST', `/v1/workspaces/${ws}/leads/nobody/messages`, {
      direction: 'inbound',
      at: '2026-03-03T10:00:00Z',
    });
    expect(missing.status).toBe(404);
    expect((missing.body['error'] as { code: string }).code).toBe('LEAD_NOT_FOUND');
    const body = await call('POST', `/v1/workspaces/${ws}/leads/lead-1/messages`, {
      direction: 'inbound',
      at: '2026-03-03T10:00:00Z',
      body: 'hello',
    });
    expect(body.status).toBe(400);
  });

  it('DELETE contact erases PII; the events stay and one LeadContactErased is appended, once', async () => {
    const before = await t.store.readStream(leadStreamName(ws, 'lead-1'));
    const res = await call('DELETE', `/v1/workspaces/${ws}/leads/lead-1/contact`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ leadId: 'lead-1', erased: true });
    expect(await getLeadContact(t.db, { workspaceId: ws, leadId: 'lead-1' })).toBeNull();
    const after = await t.store.readStream(leadStreamName(ws, 'lead-1'));
    expect(after.map((e) => e.id)).toEqual([...before.map((e) => e.id), after[before.length]?.id]);
    expect(after[before.length]).toMatchObject({
      type: 'LeadContactErased',
      data: { workspaceId: ws, leadId: 'lead-1' },
    });
    const again = await call('DELETE', `/v1/workspaces/${ws}/leads/lead-1/contact`);
    expect(again.body).toEqual({ leadId: 'lead-1', erased: false });
    expect(await t.store.readStream(leadStreamName(ws, 'lead-1'))).toHaveLength(after.length);
  });

  it('no email or name in any captured log line', () => {
    expect(t.logLines.length).toBeGreaterThan(5);
    const all = t.logLines.join('\n');
    for (const pii of ['jordan', 'Jordan Lead', 'example.com', 'example.org', 'b1@'])
      expect(all.toLowerCase()).not.toContain(pii.toLowerCase());
    expect(all).not.toContain(key);
    expect(t.logLines.every((l) => l.includes('"reqId"') || !l.includes('"req'))).toBe(true);
  });
});
