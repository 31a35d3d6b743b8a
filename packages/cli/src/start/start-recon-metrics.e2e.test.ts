/**
 * /metrics of the real server (`startRecon` on a given PostgreSQL, real HTTP, the Cal.com simulator):
 * webhook deliveries counted by provider and outcome, provider exchanges by status class with their
 * 429s and latency (the check runs through the same ReconcileDeps `recon start` builds), outbox and
 * backfill gauges read from seeded rows, the projections' position; behind RECON_METRICS_TOKEN.
 * Every counter is compared before and after, by the exact amount the test caused.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CalcomSimulator } from '@recon/simulators';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counterValue, metricSample } from '../testing/metric-samples';
import { startTestConfig, type StartTestConfig } from '../testing/start-test-config';
import { startRecon, type RunningRecon } from './start-recon';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const fixtures = new URL('../../../domain/src/providers/calcom/fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, fixtures));
const SECRET = (JSON.parse(fixture('signature-vectors.json').toString('utf8')) as { secret: string }).secret;
const sign = (raw: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('hex');

const sim = new CalcomSimulator({ rateLimit: { maxRequests: 1_000, windowMs: 60_000 } });
let setup: StartTestConfig | undefined;
let recon: RunningRecon | undefined;
let url = '';
let admin: Record<string, string> = {};

beforeAll(async () => {
  await sim.start();
  setup = await startTestConfig('metrics', { RECON_ALLOW_PRIVATE_URLS: '1', RECON_METRICS_TOKEN: METRICS_TOKEN });
  // No scheduler: nothing calls a provider but the test's own check.
  recon = await startRecon(setup.config, pino({ level: 'silent' }), {
    roles: new Set(['api', 'projections']),
    providers: { retry: { baseDelayMs: 5, maxDelayMs: 20 } },
  });
  url = recon.url ?? '';
  admin = { authorization: `Bearer ${setup.config.secrets.adminToken}` };
}, 60_000);

afterAll(async () => {
  await recon?.stop();
  await setup?.cleanup();
  await sim.close();
});

async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...admin, ...options.headers },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function scrape(): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  return res.text();
}

async function calcomWorkspace(name: string): Promise<{ ws: string; host: number }> {
  const created = await call('POST', '/v1/workspaces', { body: { name } });
  expect(created.status).toBe(201);
  const ws = created.body['id'] as string;
  const accessToken = `cal_live_${name}`;
  const host = sim.addUser({ accessToken });
  const put = await call('PUT', `/v1/workspaces/${ws}/providers/calcom`, {
    body: { accessToken, webhookSecret: SECRET, apiBaseUrl: sim.server.url },
  });
  expect(put.status).toBe(200);
  return { ws, host };
}

describe('GET /metrics of recon start', () => {
  it('needs the metrics token when RECON_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect(await scrape()).toMatch(/^recon_database_up 1$/m);
  });

  it('outbox and backfill gauges reflect the rows in their tables', async () => {
    const a = (await call('POST', '/v1/workspaces', { body: { name: 'Backfills A' } })).body['id'] as string;
    const b = (await call('POST', '/v1/workspaces', { body: { name: 'Backfills B' } })).body['id'] as string;
    const empty = await scrape();
    expect(metricSample(empty, 'recon_outbox_up')).toBe(1);
    expect(metricSample(empty, 'recon_outbox_pending')).toBe(0);
    expect(metricSample(empty, 'recon_outbox_failed')).toBe(0);
    expect(metricSample(empty, 'recon_backfill_jobs', { status: 'running' })).toBe(0);

    const db = recon!.runtime.db;
    const outbox = (n: number, status: string, ageSeconds: number) =>
      sql`INSERT INTO notification_outbox (id, workspace_id, lead_id, type, body, status, occurred_at, created_at, deadline_at)
          SELECT gen_random_uuid(), ${a}, 'lead-' || i, 'gate.changed', '{}', ${status}, now(),
                 now() - make_interval(secs => ${ageSeconds}), now() + interval '1 day'
          FROM generate_series(1, ${n}) i`.execute(db);
    await outbox(2, 'pending', 5);
    await outbox(1, 'pending', 120);
    await outbox(2, 'failed', 10);
    await outbox(4, 'delivered', 10);
    const job = (ws: string, id: string, status: string, extra: { total: number; done: number; idle: number }) =>
      sql`INSERT INTO backfill_jobs (id, workspace_id, status, providers, cursor, leads_total, leads_done, created_at, updated_at, finished_at)
          VALUES (${id}, ${ws}, ${status}, '["calcom"]', '{"phase":"leads"}', ${extra.total}, ${extra.done},
                  now() - interval '2 days', now() - make_interval(secs => ${extra.idle}),
                  ${status === 'running' || status === 'queued' ? null : sql`now() - make_interval(secs => ${extra.idle})`})`.execute(
        db,
      );
    await job(a, 'bf_metrics_running', 'running', { total: 10, done: 4, idle: 30 });
    await job(b, 'bf_metrics_queued', 'queued', { total: 0, done: 0, idle: 5 });
    await job(a, 'bf_metrics_failed', 'failed', { total: 3, done: 1, idle: 3_600 });
    await job(b, 'bf_metrics_old', 'completed', { total: 3, done: 3, idle: 3 * 86_400 });

    const text = await scrape();
    expect(metricSample(text, 'recon_outbox_pending')).toBe(3);
    expect(metricSample(text, 'recon_outbox_failed')).toBe(2);
    expect(metricSample(text, 'recon_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(120);
    expect(metricSample(text, 'recon_outbox_oldest_pending_seconds')).toBeLessThan(600);
    expect(metricSample(text, 'recon_backfill_jobs', { status: 'running' })).toBe(1);
    expect(metricSample(text, 'recon_backfill_jobs', { status: 'queued' })).toBe(1);
    expect(metricSample(text, 'recon_backfill_leads_total')).toBe(10);
    expect(metricSample(text, 'recon_backfill_leads_done')).toBe(4);
    expect(metricSample(text, 'recon_backfill_stalled_seconds', { status: 'running' })).toBeGreaterThanOrEqual(30);
    expect(metricSample(text, 'recon_backfill_stalled_seconds', { status: 'running' })).toBeLessThan(600);
    expect(metricSample(text, 'recon_backfill_jobs_finished_last_day', { status: 'failed' })).toBe(1);
    expect(metricSample(text, 'recon_backfill_jobs_finished_last_day', { status: 'completed' })).toBe(0);
    expect(text).not.toContain(a);
    expect(text).not.toContain('bf_metrics');

    await sql`DELETE FROM notification_outbox`.execute(db);
    await sql`DELETE FROM backfill_jobs WHERE id LIKE 'bf_metrics_%'`.execute(db);
  });

  it('webhook deliveries count by provider and outcome, by exactly what was delivered', async () => {
    const { ws } = await calcomWorkspace('webhooks');
    const before = await scrape();
    const created = fixture('webhook-booking-created.compact.json');
    const deliver = (raw: Buffer | string, signature: string, to = ws) =>
      call('POST', `/webhooks/calcom/${to}`, { raw, headers: { 'x-cal-signature-256': signature } });

    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await deliver(created, sign(created));
      expect(res.status).toBe(200);
      answers.push(res.body['status'] as string);
    }
    expect(answers[0]).toBe('accepted');
    const ended = fixture('webhook-meeting-ended.json');
    expect((await deliver(ended, sign(ended))).status).toBe(202);
    expect((await deliver(created, sign(created, 'not-the-secret'))).status).toBe(401);
    expect((await deliver(created, '')).status).toBe(401);
    const malformed = '{"triggerEvent": "BOOKING_CREATED", ';
    expect((await deliver(malformed, sign(malformed))).status).toBe(400);
    expect((await deliver(created, sign(created), 'ws_not_a_workspace')).status).toBe(404);

    const after = await scrape();
    const moved = (outcome: string) =>
      counterValue(after, 'recon_webhooks_total', { provider: 'calcom', outcome }) -
      counterValue(before, 'recon_webhooks_total', { provider: 'calcom', outcome });
    expect(moved('accepted')).toBe(answers.filter((s) => s === 'accepted').length);
    expect(moved('duplicate')).toBe(answers.filter((s) => s === 'duplicate').length);
    expect(moved('ignored')).toBe(1);
    expect(moved('signature_rejected')).toBe(2);
    expect(moved('invalid_payload')).toBe(1);
    expect(moved('not_configured')).toBe(1);
    expect(moved('unavailable')).toBe(0);
    expect(counterValue(after, 'recon_webhooks_total', { provider: 'ghl', outcome: 'accepted' })).toBe(0);
    expect(after).not.toContain(ws);
  });

  it('a check against the simulator: exchanges by status class, 429s, latency and limiter waits, call results', async () => {
    const { ws, host } = await calcomWorkspace('provider-calls');
    const lead = await call('PUT', `/v1/workspaces/${ws}/leads/lead-metrics`, {
      body: { email: 'metrics.lead@example.com' },
    });
    expect([200, 201]).toContain(lead.status);
    sim.addBooking({
      hostUserId: host,
      email: 'metrics.lead@example.com',
      startTime: new Date(Date.now() + 86_400_000),
    });
    // The next two requests answer 429 (Retry-After: 0), the one after 503; then the simulator answers.
    sim.server.injectFault({ kind: 'rateLimited', retryAfterSeconds: 0 }, { count: 2 });
    sim.server.injectFault({ kind: 'status', status: 503 }, { count: 1 });
    const seen = sim.server.requests.length;
    const before = await scrape();

    const check = await call('POST', `/v1/workspaces/${ws}/leads/lead-metrics/check`, { body: {} });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ checks: [{ provider: 'calcom', outcome: { kind: 'found', count: 1 } }] });

    const after = await scrape();
    const made = sim.server.requests.slice(seen);
    const answered = (cls: string) =>
      made.filter((r) =>
        cls === '429' ? r.status === 429 : r.status !== 429 && `${Math.floor(r.status / 100)}xx` === cls,
      ).length;
    const moved = (name: string, labels: Record<string, string>) =>
      counterValue(after, name, labels) - counterValue(before, name, labels);
    expect(answered('429')).toBe(2);
    expect(answered('5xx')).toBe(1);
    expect(answered('2xx')).toBeGreaterThanOrEqual(1);
    for (const cls of ['2xx', '429', '5xx', '4xx'])
      expect(moved('recon_provider_requests_total', { provider: 'calcom', status: cls }), cls).toBe(answered(cls));
    expect(moved('recon_provider_requests_total', { provider: 'calcom', status: 'none' })).toBe(0);
    expect(moved('recon_provider_rate_limited_total', { provider: 'calcom' })).toBe(2);
    expect(moved('recon_provider_request_duration_seconds_count', { provider: 'calcom' })).toBe(made.length);
    expect(moved('recon_provider_limiter_wait_seconds_count', { provider: 'calcom' })).toBe(made.length);
    expect(moved('recon_provider_calls_total', { provider: 'calcom', result: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(moved('recon_provider_calls_total', { provider: 'calcom', result: 'PROVIDER_RATE_LIMITED' })).toBe(0);
    expect(after).not.toContain(sim.server.url);
  });

  it('each projection reports its position, at most the event store head', async () => {
    const deadline = Date.now() + 15_000;
    let text = await scrape();
    while (metricSample(text, 'recon_projection_lag_events', { projection: 'core' }) !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await scrape();
    }
    const head = metricSample(text, 'recon_event_store_head_position');
    const core = metricSample(text, 'recon_projection_position', { projection: 'core' });
    expect(head).toBeGreaterThan(0);
    expect(core).toBeGreaterThan(0);
    expect(core).toBeLessThanOrEqual(head ?? 0);
  });
});
