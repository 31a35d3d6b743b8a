/**
 * The client against a live recon (the api's read test context: real app on a port, real
 * PostgreSQL, projections running): lead writes, reads with read-your-writes, gates, paging
 * through more than one page of mismatches and tasks, resolving a task, typed errors (401, 404,
 * 400) without PII in any message, and the answers the client re-declares pinned to real ones.
 */
import { startReadTestContext, http, type ReadTestContext } from '@recon/api/testing/read-test-context';
import { Seeder } from '@recon/api/testing/seeder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReconClient, type ReconClient } from './create-recon-client';
import type { ReconError } from './recon-error';
import { failure } from './testing/failure';
import { BatchItemInvalid, BatchItemWritten, BatchResult, PutLeadResult } from './schemas';

let t: ReadTestContext;
let ws: Awaited<ReturnType<ReadTestContext['workspace']>>;
let client: ReconClient;
const NO_EVIDENCE = Array.from({ length: 7 }, (_, i) => `ne-${i}`);
const CANCELED = Array.from({ length: 5 }, (_, i) => `canceled-${i}`);

beforeAll(async () => {
  t = await startReadTestContext('client');
  ws = await t.workspace('CRM');
  const seed = new Seeder(ws.ws);
  NO_EVIDENCE.forEach((id, i) => seed.noEvidence(id, `2030-05-21T00:0${i}:00.000Z`));
  for (const id of CANCELED) seed.canceledMeeting(id);
  await t.caughtUp(await seed.flush(t.store));
  client = createReconClient({ baseUrl: t.baseUrl, apiKey: ws.key, workspaceId: ws.ws });
});
afterAll(async () => {
  await t?.close();
});

/** Every field of a thrown error, as a log line would print it. */
const printed = (e: ReconError) => `${String(e)} ${e.stack ?? ''} ${JSON.stringify(e)} ${JSON.stringify(e.details)}`;

describe('lead writes and reads', () => {
  it('putLead creates, then answers unchanged; getLead reads its own write (minPosition)', async () => {
    const created = await client.putLead('crm-1', {
      email: 'ana@example.com',
      name: 'Ana',
      sentiment: { label: 'Interested', classifiedAt: '2030-06-01T10:00:00+02:00' },
    });
    expect(created).toMatchObject({ leadId: 'crm-1', status: 'created' });
    expect(created.bookingToken).toMatch(/^recon:crm-1\./);
    const again = await client.putLead('crm-1', {
      email: 'ana@example.com',
      name: 'Ana',
      sentiment: { label: 'Interested', classifiedAt: '2030-06-01T08:00:00Z' },
    });
    expect(again.status).toBe('unchanged');

    const lead = await client.getLead('crm-1', { minPosition: created.position });
    expect(lead).toMatchObject({
      leadId: 'crm-1',
      sentiment: { label: 'Interested', classifiedAt: '2030-06-01T08:00:00.000Z' },
      bookingToken: created.bookingToken,
    });
  });

  it('putLeads writes a batch; invalid items are results, not errors', async () => {
    const r = await client.putLeads([
      { leadId: 'crm-2', email: 'bo@example.com' },
      { leadId: 'crm-3', ghlContactId: 'c-3' },
      { leadId: 'crm-2', email: 'bo@example.com' },
      { leadId: 'crm-4', email: 'not an email' },
    ]);
    expect(r.results.map((x) => [x.index, x.leadId, x.status])).toEqual([
      [0, 'crm-2', 'created'],
      [1, 'crm-3', 'created'],
      [2, 'crm-2', 'invalid'],
      [3, 'crm-4', 'invalid'],
    ]);
    expect(r.results.flatMap((x) => (x.status === 'invalid' ? [x.code] : []))).toEqual([
      'DUPLICATE_LEAD_ID',
      'VALIDATION_FAILED',
    ]);
    const gate = await client.getGate('crm-3', { minPosition: r.position });
    expect(gate).toMatchObject({ leadId: 'crm-3', mayEnroll: expect.any(Boolean), mustPause: false });
  });

  it('queryGates answers in request order, an unknown lead found: false', async () => {
    const { items } = await client.queryGates([CANCELED[0]!, 'never-seen', NO_EVIDENCE[0]!]);
    expect(items.map((g) => [g.leadId, g.found])).toEqual([
      [CANCELED[0], true],
      ['never-seen', false],
      [NO_EVIDENCE[0], true],
    ]);
    expect(items[0]).toMatchObject({ mayEnroll: false, mustPause: true });
    expect(items[1]?.reason).toBe('unknown_lead');
  });
});

describe('paging', () => {
  it('mismatches() walks every page once (limit 3 over 7 + 5 open mismatches)', async () => {
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const page of client.mismatches({ limit: 3 })) {
      sizes.push(page.items.length);
      seen.push(...page.items.map((m) => `${m.leadId}/${m.kind}`));
    }
    expect(sizes.length).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    const leads = new Set(seen.map((s) => s.split('/')[0]));
    for (const id of [...NO_EVIDENCE, ...CANCELED]) expect(leads.has(id)).toBe(true);
  });

  it('mismatches({ kind }) filters', async () => {
    const kinds = new Set<string>();
    let n = 0;
    for await (const page of client.mismatches({ kind: 'sentiment_booked_no_evidence', limit: 2 }))
      for (const m of page.items) {
        kinds.add(m.kind);
        n++;
      }
    expect([...kinds]).toEqual(['sentiment_booked_no_evidence']);
    expect(n).toBeGreaterThanOrEqual(NO_EVIDENCE.length);
  });

  it('tasks() walks 3 pages of 2 over five red tasks; resolveTask resolves one (twice is a no-op)', async () => {
    const pages: string[][] = [];
    for await (const page of client.tasks({ limit: 2 })) pages.push(page.items.map((x) => x.leadId));
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual([...CANCELED].sort());

    const [first] = (await client.tasks({ leadId: CANCELED[0]!, kind: 'meeting-canceled' }).next()).value?.items ?? [];
    expect(first).toMatchObject({ leadId: CANCELED[0], kind: 'meeting-canceled', severity: 'red', status: 'open' });
    const resolved = await client.resolveTask(first!.id, { note: 'Called, rebooked' });
    expect(resolved).toMatchObject({
      id: first!.id,
      status: 'resolved',
      alreadyResolved: false,
      note: 'Called, rebooked',
    });
    const twice = await client.resolveTask(first!.id);
    expect(twice.alreadyResolved).toBe(true);

    const done: string[] = [];
    for await (const page of client.tasks({ status: 'resolved', minPosition: resolved.position }))
      done.push(...page.items.map((x) => x.id));
    expect(done).toEqual([first!.id]);
    let open = 0;
    for await (const page of client.tasks({ limit: 2 })) open += page.items.length;
    expect(open).toBe(CANCELED.length - 1);
  });
});

describe('typed errors', () => {
  it('401 UNAUTHORIZED for a wrong key', async () => {
    const stranger = createReconClient({ baseUrl: t.baseUrl, apiKey: 'rk_not-a-key', workspaceId: ws.ws });
    const e = await failure(stranger.getLead('crm-1'));
    expect([e.code, e.status, e.attempts]).toEqual(['UNAUTHORIZED', 401, 1]);
  });

  it('404 LEAD_NOT_FOUND and TASK_NOT_FOUND', async () => {
    const e = await failure(client.getLead('nobody'));
    expect([e.code, e.status, e.route]).toEqual(['LEAD_NOT_FOUND', 404, 'GET /v1/workspaces/:ws/leads/:leadId']);
    expect((await failure(client.getGate('nobody'))).code).toBe('LEAD_NOT_FOUND');
    expect((await failure(client.resolveTask('no-such-task'))).code).toBe('TASK_NOT_FOUND');
  });

  it('400 VALIDATION_FAILED lists paths and rule codes; no email anywhere in the error', async () => {
    const email = 'ana@@example.com';
    const e = await failure(client.putLead('crm-9', { email }));
    expect([e.code, e.status]).toEqual(['VALIDATION_FAILED', 400]);
    expect(e.details).toContainEqual(expect.objectContaining({ path: 'email' }));
    expect(printed(e)).not.toContain(email);
    expect(printed(e)).not.toContain('crm-9');
  });

  it('400 for a cursor the API did not issue: CURSOR_INVALID', async () => {
    const fetchPage = (url: string, init?: RequestInit) => fetch(url.replace(/limit=\d+/, 'cursor=bogus'), init);
    const c = createReconClient({
      baseUrl: t.baseUrl,
      apiKey: ws.key,
      workspaceId: ws.ws,
      fetch: fetchPage as typeof fetch,
    });
    const e = await failure(c.mismatches({ limit: 5 }).next());
    expect([e.code, e.status]).toEqual(['CURSOR_INVALID', 400]);
  });
});

describe('the answers the client re-declares match the API’s real ones (no field added or missing)', () => {
  const strict = <T extends z.ZodRawShape>(s: z.ZodObject<T>) => z.strictObject(s.shape);

  it('PUT lead: 201 and 200', async () => {
    const body = { email: 'pin@example.com' };
    const first = await http(t.baseUrl, 'PUT', `/v1/workspaces/${ws.ws}/leads/pin-1`, { headers: ws.auth, body });
    const second = await http(t.baseUrl, 'PUT', `/v1/workspaces/${ws.ws}/leads/pin-1`, { headers: ws.auth, body });
    expect([first.status, second.status]).toEqual([201, 200]);
    for (const r of [first, second]) expect(strict(PutLeadResult).safeParse(r.body).error).toBeUndefined();
  });

  it('POST leads:batch: written and invalid items', async () => {
    const r = await http(t.baseUrl, 'POST', `/v1/workspaces/${ws.ws}/leads:batch`, {
      headers: ws.auth,
      body: { leads: [{ leadId: 'pin-2' }, { leadId: 'pin-3', email: 'x' }] },
    });
    expect(r.status).toBe(200);
    expect(BatchResult.safeParse(r.body).error).toBeUndefined();
    expect(strict(BatchItemWritten).safeParse(r.body.results[0]).error).toBeUndefined();
    expect(strict(BatchItemInvalid).safeParse(r.body.results[1]).error).toBeUndefined();
    expect(Object.keys(r.body).sort()).toEqual(['position', 'results']);
  });
});
