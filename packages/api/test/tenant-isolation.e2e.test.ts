/**
 * Table-driven over the app's route registry: every `/v1/workspaces/:ws/...` route answers 401
 * without a valid key and 403 for another workspace's key. A new route is covered automatically;
 * a route that skips the check fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRegistry, WORKSPACE_ROUTE_PREFIX, type RouteEntry } from '../src/index';
import { request } from './support/http';
import { startTestApp, type TestApp } from './support/test-app';
import { createWorkspaceWithKey } from './support/workspace-setup';

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
  t = await startTestApp({ name: 'tenant-isolation', listen: true });
  a = await createWorkspaceWithKey(t.baseUrl, 'A');
  b = await createWorkspaceWithKey(t.baseUrl, 'B');
  routes = routeRegistry(t.app);
});
afterAll(async () => {
  await t?.close();
});

const workspaceRoutes = () => routes.filter((r) => r.url.startsWith(`${WORKSPACE_ROUTE_PREFIX}/`) || r.url === WORKSPACE_ROUTE_PREFIX);

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
    ]) {
      expect(listed).toContain(expected);
    }
  });

  it('no workspace route opts out of the check', () => {
    for (const route of workspaceRoutes()) expect(['workspace', 'workspace-admin']).toContain(route.auth);
    for (const route of routes.filter((r) => r.url.startsWith('/v1/') && !workspaceRoutes().includes(r))) expect(route.auth).toBe('admin');
  });

  it('every workspace route: 401 without a key, 401 with a bad key, 403 with another workspace key', async () => {
    const checked: string[] = [];
    for (const route of workspaceRoutes()) {
      const path = concretePath(route.url, a.ws);
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
      const none = await request(t.baseUrl, route.method, path, { ...(body !== undefined ? { body } : {}) });
      expect(none.status, `${route.method} ${route.url} without key`).toBe(401);
      const bad = await request(t.baseUrl, route.method, path, { ...(body !== undefined ? { body } : {}), headers: { authorization: 'Bearer rk_not-a-key' } });
      expect(bad.status, `${route.method} ${route.url} bad key`).toBe(401);
      const other = await request(t.baseUrl, route.method, path, { ...(body !== undefined ? { body } : {}), headers: { authorization: `Bearer ${b.key}` } });
      expect(other.status, `${route.method} ${route.url} other workspace`).toBe(403);
      expect((other.body['error'] as { code: string }).code).toBe('FORBIDDEN');
      const own = await request(t.baseUrl, route.method, path, { ...(body !== undefined ? { body } : {}), headers: { authorization: `Bearer ${a.key}` } });
      if (route.auth === 'workspace') expect([401, 403], `${route.method} ${route.url} own key`).not.toContain(own.status);
      else expect(own.status).toBe(403);
      checked.push(route.url);
    }
    expect(checked.length).toBeGreaterThanOrEqual(12);
  });

  it('admin routes refuse operator keys (403) and anonymous callers (401)', async () => {
    for (const route of routes.filter((r) => r.auth === 'admin')) {
      const path = concretePath(route.url, a.ws);
      expect((await request(t.baseUrl, route.method, path, { body: {} })).status).toBe(401);
      expect((await request(t.baseUrl, route.method, path, { body: {}, headers: { authorization: `Bearer ${a.key}` } })).status).toBe(403);
    }
  });

  it('a revoked key is refused (401)', async () => {
    const c = await createWorkspaceWithKey(t.baseUrl, 'C');
    const keyId = (await t.db.selectFrom('api_keys').select('id').where('workspace_id', '=', c.ws).executeTakeFirstOrThrow()).id;
    const { admin } = await import('./support/test-app');
    expect((await request(t.baseUrl, 'DELETE', `/v1/workspaces/${c.ws}/api-keys/${keyId}`, { headers: admin })).status).toBe(200);
    expect((await request(t.baseUrl, 'GET', `/v1/workspaces/${c.ws}/settings`, { headers: c.auth })).status).toBe(401);
  });

  it('the admin token naming an unknown workspace → 404 WORKSPACE_NOT_FOUND', async () => {
    const { admin } = await import('./support/test-app');
    const res = await request(t.baseUrl, 'GET', '/v1/workspaces/ws_unknown/settings', { headers: admin });
    expect(res.status).toBe(404);
    expect((res.body['error'] as { code: string }).code).toBe('WORKSPACE_NOT_FOUND');
  });
});
