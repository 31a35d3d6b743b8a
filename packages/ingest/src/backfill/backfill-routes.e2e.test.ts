import type { FastifyInstance } from 'fastify';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareApp, testSendError } from '../reconcile/testing/bare-app';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { backfillRoutes } from './backfill-routes';

let h: Harness;
let app: FastifyInstance;
let url = '';

beforeAll(async () => {
  h = await startHarness({
    name: 'backfill-routes',
    ghlSimLimit: { maxRequests: 10, windowMs: 1_000 },
    calendlySimLimit: { maxRequests: 100, windowMs: 1_000 },
  });
  ({ app, url } = await bareApp(
    backfillRoutes({ reconcile: h.deps, sendError: testSendError, runner: { pageSize: 2, concurrency: 1 } }),
  ));
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('backfill routes', () => {
  it('POST → 202 { id }; GET shows progress until completed, with rate and failures by code', async () => {
    const ws = await h.createWorkspace({ name: 'Routes' });
    for (let i = 0; i < 4; i++)
      await h.putLead(ws.id, `r-${i}`, { ghlContactId: `${ws.id}-r${i}`, email: `r${i}@example.com` });
    h.ghl.addAppointment({ locationId: ws.locationId, contactId: `${ws.id}-r1`, startTime: '2030-05-01T10:00:00Z' });
    h.ghl.server.injectFault({ kind: 'status', status: 401 }, { pathPrefix: `/contacts/${ws.id}-r3/` });
    const created = await call('POST', `/v1/workspaces/${ws.id}/backfills`, {
      providers: ['ghl', 'calendly'],
      from: '2030-01-01T00:00:00Z',
    });
    expect(created.status).toBe(202);
    const id = created.body['id'] as string;
    const final = await waitFor(
      async () => {
        const r = await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`);
        return r.body['status'] === 'completed' ? r.body : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(final).toMatchObject({
      id,
      leadsDone: 4,
      leadsTotal: 4,
      failures: { PROVIDER_UNAUTHORIZED: 1 },
      etaSeconds: null,
      providers: ['ghl', 'calendly'],
      from: '2030-01-01T00:00:00.000Z',
      to: null,
    });
    expect(final['eventsAppended']).toBeGreaterThanOrEqual(2 + 4);
    expect(typeof final['ratePerMinute']).toBe('number');
  });

  it('cancel stops a running backfill after its page; unknown ids are 404; bad bodies 400', async () => {
    const ws = await h.createWorkspace({ name: 'Cancel', calendly: false });
    for (let i = 0; i < 30; i++)
      await h.putLead(ws.id, `k-${String(i).padStart(2, '0')}`, { ghlContactId: `${ws.id}-k${i}` });
    const { body } = await call('POST', `/v1/workspaces/${ws.id}/backfills`, {});
    const id = body['id'] as string;
    await waitFor(
      async () => ((await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`)).body['leadsDone'] as number) >= 2,
      { timeoutMs: 20_000 },
    );
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills/${id}/cancel`)).body['cancelRequested']).toBe(true);
    const final = await waitFor(
      async () => {
        const r = await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`);
        return r.body['status'] === 'canceled' ? r.body : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(final['leadsDone']).toBeLessThan(30);
    expect((await call('GET', `/v1/workspaces/${ws.id}/backfills/bf_nope`)).status).toBe(404);
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills/bf_nope/cancel`)).status).toBe(404);
    const other = await h.createWorkspace({ name: 'Other', calendly: false });
    expect((await call('GET', `/v1/workspaces/${other.id}/backfills/${id}`)).status).toBe(404);
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills`, { providers: ['zoom'] })).status).toBe(400);
    expect(
      (
        await call('POST', `/v1/workspaces/${ws.id}/backfills`, {
          from: '2030-02-01T00:00:00Z',
          to: '2030-01-01T00:00:00Z',
        })
      ).status,
    ).toBe(400);
  });
});
