import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileRoutes } from './reconcile-routes';
import { bareApp, testSendError } from './testing/bare-app';
import { startHarness, type Harness } from './testing/reconcile-harness';

let h: Harness;
let app: FastifyInstance;
let url = '';
const SECRET = 'cron-secret-for-tests-0123456789';

beforeAll(async () => {
  h = await startHarness({ name: 'reconcile-routes' });
  ({ app, url } = await bareApp(
    reconcileRoutes({ reconcile: h.deps, sendError: testSendError, cronSecret: SECRET, checkMinIntervalMs: 60_000 }),
  ));
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('POST /v1/cron/reconcile', () => {
  it('401 without, with a wrong, or with a near-miss secret', async () => {
    expect((await post('/v1/cron/reconcile', {})).status).toBe(401);
    expect((await post('/v1/cron/reconcile', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('/v1/cron/reconcile', {}, { authorization: `Bearer ${SECRET}x` })).status).toBe(401);
    const res = await post('/v1/cron/reconcile', {}, { authorization: `Bearer ${SECRET}` });
    expect(res.status).toBe(200);
  });

  // The secret is checked before the body is parsed or validated: an unauthenticated caller learns nothing of it.
  const unauthenticated: readonly { name: string; headers: Record<string, string>; body: string }[] = [
    { name: 'no secret, malformed JSON', headers: {}, body: '{"maxLeads":' },
    { name: 'wrong secret, schema violation', headers: { authorization: 'Bearer nope' }, body: '{"maxLeads":0}' },
    { name: 'wrong secret, unknown field', headers: { authorization: `Bearer ${SECRET}x` }, body: '{"x":1}' },
    { name: 'no secret, not JSON at all', headers: {}, body: 'not json' },
  ];
  it.each(unauthenticated)('401 before body validation: $name', async ({ headers, body }) => {
    const res = await fetch(`${url}/v1/cron/reconcile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });

  it('runs a tick within the body limits and answers the summary', async () => {
    const ws = await h.createWorkspace({ name: 'Cron', calendly: false });
    for (let i = 0; i < 3; i++) await h.putLead(ws.id, `c-${i}`, { ghlContactId: `${ws.id}-c${i}` });
    h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: `${ws.id}-c0`,
      startTime: new Date(Date.now() + 86_400_000),
    });
    const res = await post(
      '/v1/cron/reconcile',
      { maxLeads: 2, timeBudgetMs: 20_000 },
      { authorization: `Bearer ${SECRET}` },
    );
    const body = (await res.json()) as Record<string, number>;
    expect(body).toMatchObject({ workspaces: 1, leadsChecked: 2, remaining: 1 });
    expect(Object.keys(body).sort()).toEqual([
      'durationMs',
      'eventsAppended',
      'failures',
      'leadsChecked',
      'remaining',
      'workspaces',
    ]);
    expect((await post('/v1/cron/reconcile', { maxLeads: 0 }, { authorization: `Bearer ${SECRET}` })).status).toBe(400);
  });
});

describe('POST /v1/workspaces/:ws/leads/:leadId/check', () => {
  it('reconciles now and answers the new state; a second call at once is rate-limited', async () => {
    const ws = await h.createWorkspace({ name: 'Check', calendly: false });
    await h.putLead(ws.id, 'now-lead', { ghlContactId: `${ws.id}-now` });
    h.ghl.addAppointment({
      locationId: ws.locationId,
      contactId: `${ws.id}-now`,
      startTime: new Date(Date.now() + 86_400_000),
    });
    const res = await post(`/v1/workspaces/${ws.id}/leads/now-lead/check`, {});
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      leadId: 'now-lead',
      state: 'booked',
      assumed: false,
      checks: [{ provider: 'ghl', outcome: { kind: 'found', count: 1 } }],
    });
    const again = await post(`/v1/workspaces/${ws.id}/leads/now-lead/check`, {});
    expect(again.status).toBe(429);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect((await post(`/v1/workspaces/${ws.id}/leads/missing/check`, {})).status).toBe(404);
  });
});
