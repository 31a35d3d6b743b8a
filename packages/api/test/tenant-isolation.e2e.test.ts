/**
 * Table-driven over the app's route registry: every `/v1/workspaces/:ws/...` route answers 401
 * without a valid key and 403 for another workspace's key. A new route is covered automatically;
 * a route that skips the check fails here. The app also registers reconciliation's routes (cron,
 * check-now, backfills, unmatched appointments) as `recon start` does, so they are covered too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRegistry, WORKSPACE_ROUTE_PREFIX, type RouteEntry } from '../src/index';
import { request } from './testing/http';
import { CRON_SECRET } from './testing/reconcile-test-routes';
import { startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let t: TestApp;
let a: { ws: string; key: string };
let b: { ws: string; key: string };
let routes: readonly RouteEntry[];

function concretePath(url: string, ws: string): string {
  return url
    .replace('::', '\u0000')
    .replace(/:ws\b/, ws)
    .replace(/:[A-Za-z]+/g, 'some-id')
    .replace('\u0000', ':');
}

beforeAll(async () => {
  t = await startTestApp({ name: 'tenant-isolation', listen: true, reconcileRoutes: true });
  a = await createWorkspaceWithKey(t.baseUrl, 'A');
  b = await createWorkspaceWithKey(t.baseUrl, 'B');
  routes = routeRegistry(t.app);
});
afterAll(async () => {
  await t?.close();
});

/** `/v1` routes that check their own secret instead of the bearer token of the auth hook. */
const OWN_SECRET_ROUTES = ['POST /v1/cron/reconcile'];
/** Any valid credential, answering only about itself (me.e2e.test.ts). */
const SELF_ROUTES = ['GET /v1/me'];

const workspaceRoutes = () =>
  routes.filter((r) => r.url.startsWith(`${WORKSPACE_ROUTE_PREFIX}/`) || r.url === WORKSPACE_ROUTE_PREFIX);

describe('tenant isolation over the route registry', () => {
  it('lists every route of the write side', () => {
    const listed = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'POST /v1/workspaces',
      'POST /v1/workspaces/:ws/api-keys',
      'DELETE /v1/workspaces/:ws/api-keys/:id',
      'PUT /v1/workspaces/:ws/providers/calendly',
      'GET /v1/workspaces/:ws/providers/calendly',
      'PUT /v1/workspaces/:ws/providers/ghl',
      'GET /v1/workspaces/:ws/providers/ghl',
      'PUT /v1/workspaces/:ws/settings',
      'GET /v1/workspaces/:ws/settings',
      'PUT /v1/workspaces/:ws/leads/:leadId',
      'POST /v1/workspaces/:ws/leads::batch',
      'POST /v1/workspaces/:ws/leads/:leadId/messages',
      'DELETE /v1/workspaces/:ws/leads/:leadId/contact',
      'POST /webhooks/calendly/:ws',
      'POST /webhooks/ghl/:ws',
      'POST /v1/cron/reconcile',
      'POST /v1/workspaces/:ws/leads/:leadId/check',
      'POST /v1/workspaces/:ws/backfills',
      'GET /v1/workspaces/:ws/backfills/:id',
      'POST /v1/workspaces/:ws/backfills/:id/cancel',
      'GET /v1/workspaces/:ws/appointments',
    ]) {
      expect(listed).toContain(expected);
    }
  });

  it('no workspace route opts out of the check', () => {
    for (const route of workspaceRoutes()) expect(['workspace', 'workspace-admin']).toContain(route.auth);
    for (const route of routes.filter((r) => r.url.startsWith('/v1/') && !workspaceRoutes().includes(r))) {
      if (OWN_SECRET_ROUTES.includes(`${route.method} ${route.url}`)) continue;
      if (SELF_ROUTES.includes(`${route.method} ${route.url}`)) {
        expect(route.auth).toBe('authenticated');
        continue;
      }
      expect(route.auth, `${route.method} ${route.url}`).toBe('admin');
    }
  });

  it('the cron route answers 401 to anything but the cron secret (admin token and operator keys included)', async () => {
    const { admin } = await import('./testing/test-app');
    for (const headers of [{}, { authorization: 'Bearer wrong' }, admin, { authorization: `Bearer ${a.key}` }]) {
      const res = await request(t.baseUrl, 'POST', '/v1/cron/reconcile', { body: {}, headers });
      expect(res.status).toBe(401);
      expect((res.body['error'] as { code: string }).code).toBe('UNAUTHORIZED');
    }
    const ok = await request(t.baseUrl, 'POST', '/v1/cron/reconcile', {
      body: { maxLeads: 1 },
      headers: { authorization: `Bearer ${CRON_SECRET}` },
    });
    expect(ok.status).toBe(200);
  });

  it('every workspace route: 401 without a key, 401 with a bad key, 403 with another workspace key', async () => {
    const checked: string[] = [];
    for (const route of workspaceRoutes()) {
      const path = concretePath(route.url, a.ws);
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const none = await request(t.baseUrl, route.method, path, { ...(body !== undefined ? { body } : {}) });
      expect(none.status, `${route.method} ${route.url} without key`).toBe(401);
      const bad = await request(t.baseUrl, route.method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: 'Bearer rk_not-a-key' },
      });
      expect(bad.status, `${route.method} ${route.url} bad key`).toBe(401);
      const other = await request(t.baseUrl, route.method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: `Bearer ${b.key}` },
      });
      expect(other.status, `${route.method} ${route.url} other workspace`).toBe(403);
      expect((other.body['error'] as { code: string }).code).toBe('FORBIDDEN');
      const own = await request(t.baseUrl, route.method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: `Bearer ${a.key}` },
      });
      if (route.auth === 'workspace')
        expect([401, 403], `${route.method} ${route.url} own key`).not.toContain(own.status);
      else expect(own.status).toBe(403);
      checked.push(route.url);
    }
    expect(checked.length).toBeGreaterThanOrEqual(17);
    expect(checked).toEqual(
      expect.arrayContaining([
        '/v1/workspaces/:ws/leads/:leadId/check',
        '/v1/workspaces/:ws/backfills',
        '/v1/workspaces/:ws/backfills/:id',
        '/v1/workspaces/:ws/backfills/:id/cancel',
        '/v1/workspaces/:ws/appointments',
      ]),
    );
  });

  it('admin routes refuse operator keys (403) and anonymous callers (401)', async () => {
    for (const route of routes.filter((r) => r.auth === 'admin')) {
      const path = concretePath(route.url, a.ws);
      expect((await request(t.baseUrl, route.method, path, { body: {} })).status).toBe(401);
      expect(
        (await request(t.baseUrl, route.method, path, { body: {}, headers: { authorization: `Bearer ${a.key}` } }))
          .status,
      ).toBe(403);
    }
  });

  it('a revoked key is refused (401)', async () => {
    const c = await createWorkspaceWithKey(t.baseUrl, 'C');
    const keyId = (
      await t.db.selectFrom('api_keys').select('id').where('workspace_id', '=', c.ws).executeTakeFirstOrThrow()
    ).id;
    const { admin } = await import('./testing/test-app');
    expect(
      (await request(t.baseUrl, 'DELETE', `/v1/workspaces/${c.ws}/api-keys/${keyId}`, { headers: admin })).status,
    ).toBe(200);
    expect((await request(t.baseUrl, 'GET', `/v1/workspaces/${c.ws}/settings`, { headers: c.auth })).status).toBe(401);
  });

  it('the admin token naming an unknown workspace → 404 WORKSPACE_NOT_FOUND', async () => {
    const { admin } = await import('./testing/test-app');
    const res = await request(t.baseUrl, 'GET', '/v1/workspaces/ws_unknown/settings', { headers: admin });
    expect(res.status).toBe(404);
    expect((res.body['error'] as { code: string }).code).toBe('WORKSPACE_NOT_FOUND');
  });
});
