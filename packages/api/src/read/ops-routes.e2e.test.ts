/**
 * Probes, metrics, the OpenAPI document, and tenant isolation over every read route (table-driven
 * over the app's route registry, so a new read route without the check fails here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeRegistry } from '../index';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let b: Awaited<ReturnType<ReadTestContext['workspace']>>;

beforeAll(async () => {
  t = await startReadTestContext('read-ops');
  a = await t.workspace('A');
  b = await t.workspace('B');
  await t.caughtUp(await new Seeder(a.ws).canceledMeeting('lead-1').flush(t.store));
});
afterAll(async () => {
  await t?.close();
});

const READ_ROUTES = [
  'GET /v1/workspaces/:ws/leads/:leadId',
  'GET /v1/workspaces/:ws/leads/:leadId/appointments',
  'GET /v1/workspaces/:ws/leads',
  'GET /v1/workspaces/:ws/mismatches',
  'GET /v1/workspaces/:ws/tasks',
  'POST /v1/workspaces/:ws/tasks/:taskId/resolve',
  'GET /v1/workspaces/:ws/gates/:leadId',
  'POST /v1/workspaces/:ws/gates::query',
  'GET /v1/workspaces/:ws/stats',
];

describe('tenant isolation of the read routes', () => {
  it('every read route is registered as a workspace route and refuses 401/403', async () => {
    const routes = routeRegistry(t.app);
    for (const name of READ_ROUTES) {
      const [method, url] = name.split(' ') as [string, string];
      const route = routes.find((r) => r.method === method && r.url === url);
      expect(route, name).toBeDefined();
      expect(route?.auth).toBe('workspace');
      const path = url
        .replace('::', '\u0000')
        .replace(':ws', a.ws)
        .replace(/:[A-Za-z]+/g, 'lead-1')
        .replace('\u0000', ':');
      const body = method === 'POST' ? (url.endsWith('query') ? { leadIds: ['lead-1'] } : {}) : undefined;
      const call = (headers: Record<string, string>) =>
        http(t.baseUrl, method, path, { headers, ...(body !== undefined ? { body } : {}) });
      expect((await call({})).status, `${name} anonymous`).toBe(401);
      expect((await call({ authorization: 'Bearer rk_forged' })).status, `${name} forged`).toBe(401);
      const other = await call(b.auth);
      expect(other.status, `${name} other workspace`).toBe(403);
      expect(other.body.error.code).toBe('FORBIDDEN');
      expect([401, 403], `${name} own key`).not.toContain((await call(a.auth)).status);
    }
  });
});

describe('probes', () => {
  it('GET /healthz: 200 without auth', async () => {
    const r = await http(t.baseUrl, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('GET /readyz: 200 with database, event store and projections ready', async () => {
    const r = await http(t.baseUrl, 'GET', '/readyz');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ready');
    expect(r.body.checks).toMatchObject({ database: true, eventStore: true });
    expect(r.body.checks.projections.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['core', 'identities']),
    );
    expect(r.body.checks.projections.every((p: { runner: boolean }) => p.runner)).toBe(true);
  });

  it('GET /metrics: Prometheus text with HTTP latency, store head, projection lag and dead letters', async () => {
    await http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/stats`, { headers: a.auth });
    const res = await fetch(`${t.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toMatch(
      /recon_http_request_duration_seconds_bucket\{le="0\.01",method="GET",route="\/v1\/workspaces\/:ws\/stats",status="2xx"\} \d+/,
    );
    expect(text).toMatch(/recon_event_store_head_position \d+/);
    expect(text).toContain('recon_event_store_up 1');
    expect(text).toMatch(/recon_projection_lag_events\{projection="core"\} 0/);
    expect(text).toMatch(/recon_projection_dead_letters\{projection="core",status="skipped"\} 0/);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^recon_database_up 1$/m);
    expect(text).not.toContain(a.ws);
  });
});

describe('GET /docs/json', () => {
  it('serves OpenAPI 3 with every read route, its schemas and examples', async () => {
    const r = await http(t.baseUrl, 'GET', '/docs/json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toMatch(/^3\./);
    const paths = r.body.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
    >;
    for (const name of READ_ROUTES) {
      const [method, url] = name.split(' ') as [string, string];
      const openApiPath = url
        .replace('::', '\u0000')
        .replace(/:([A-Za-z]+)/g, '{$1}')
        .replace('\u0000', ':');
      const op = paths[openApiPath]?.[method.toLowerCase()];
      expect(op, name).toBeDefined();
      const ok = JSON.stringify(op?.responses['200']);
      expect(ok, `${name} has examples`).toMatch(/"examples?":/);
    }
    expect(paths['/healthz']).toBeDefined();
  });
});

describe('readiness without projections', () => {
  it('GET /readyz: 503 once no runner holds the projections (stopped here)', async () => {
    await t.projections.stop();
    const r = await http(t.baseUrl, 'GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('not_ready');
    expect(r.body.checks.projections.some((p: { runner: boolean }) => !p.runner)).toBe(true);
  });
});
