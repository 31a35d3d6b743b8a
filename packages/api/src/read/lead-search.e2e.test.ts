/**
 * `POST …/leads:search` over real HTTP: by email (primary or alternate, any case; hashed on the
 * server, so nothing about the email is kept) or by lead id prefix (LIKE metacharacters match
 * themselves); another workspace's leads are never found; bad bodies are 400.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let b: Awaited<ReturnType<ReadTestContext['workspace']>>;

async function putLead(ws: string, auth: Record<string, string>, leadId: string, body: Record<string, unknown>) {
  const res = await http(t.baseUrl, 'PUT', `/v1/workspaces/${ws}/leads/${encodeURIComponent(leadId)}`, {
    headers: auth,
    body,
  });
  expect([200, 201]).toContain(res.status);
  return res.body['position'] as string;
}

beforeAll(async () => {
  t = await startReadTestContext('lead-search');
  a = await t.workspace('A');
  b = await t.workspace('B');
  await putLead(a.ws, a.auth, 'lead-4001', { email: 'Jordan.Lead@Example.com', alternateEmails: ['jl@example.org'] });
  await putLead(a.ws, a.auth, 'lead-4002', { email: 'sam@example.com' });
  await putLead(a.ws, a.auth, 'lead_x%1', { email: 'pat@example.com' });
  await putLead(b.ws, b.auth, 'lead-4003', { email: 'jordan.lead@example.com' });
  await t.caughtUp();
});
afterAll(async () => {
  await t?.close();
});

const search = (body: unknown, auth = a.auth, ws = a.ws) =>
  http(t.baseUrl, 'POST', `/v1/workspaces/${ws}/leads:search`, { headers: auth, body });
const ids = (res: Awaited<ReturnType<typeof search>>) =>
  (res.body['items'] as { leadId: string }[]).map((l) => l.leadId);

describe('POST …/leads:search', () => {
  it('finds a lead by its email or an alternate, in any case, only in the caller’s workspace', async () => {
    expect(ids(await search({ email: 'jordan.lead@example.com' }))).toEqual(['lead-4001']);
    expect(ids(await search({ email: '  JORDAN.LEAD@EXAMPLE.COM ' }))).toEqual(['lead-4001']);
    expect(ids(await search({ email: 'jl@example.org' }))).toEqual(['lead-4001']);
    expect(ids(await search({ email: 'nobody@example.com' }))).toEqual([]);
    expect(ids(await search({ email: 'jordan.lead@example.com' }, b.auth, b.ws))).toEqual(['lead-4003']);
    const one = await search({ email: 'sam@example.com' });
    expect(one.status).toBe(200);
    expect(one.body['items']).toEqual([
      expect.objectContaining({ leadId: 'lead-4002', state: 'unknown', appointment: null }),
    ]);
  });

  it('finds leads by lead id prefix; % and _ match themselves', async () => {
    expect(ids(await search({ leadIdPrefix: 'lead-40' }))).toEqual(['lead-4001', 'lead-4002']);
    expect(ids(await search({ leadIdPrefix: 'lead_x%' }))).toEqual(['lead_x%1']);
    expect(ids(await search({ leadIdPrefix: 'lead%' }))).toEqual([]);
  });

  it('bad bodies are 400 VALIDATION_FAILED; another workspace’s key is 403', async () => {
    for (const body of [{}, { email: 'not-an-email' }, { email: 'a@b.c', leadIdPrefix: 'x' }, { leadIdPrefix: '' }]) {
      const res = await search(body);
      expect(res.status).toBe(400);
      expect((res.body['error'] as { code: string }).code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).not.toContain('not-an-email');
    }
    expect((await search({ leadIdPrefix: 'lead' }, b.auth)).status).toBe(403);
  });
});
