/**
 * An outage answered honestly, in process over real HTTP: while the app's database refuses
 * connections every route that needs it answers 503 + Retry-After (GHL webhooks 429), never 500
 * and never 2xx; /healthz stays 200, /readyz is 503 and names the dependency; afterwards
 * everything recovers by itself; /metrics keeps answering (database down, deliveries counted as
 * unavailable). A transaction left open in ANOTHER database of the server is
 * named by /readyz and /metrics (it holds back the event store's fence).
 */
import pg from 'pg';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;
let admin: pg.Client;
let dbName: string;

beforeAll(async () => {
  t = await startReadTestContext('ops-outage', { longTransactionSeconds: 1, runnerRetryMaxMs: 1_000 });
  a = await t.workspace('A');
  await t.caughtUp(await new Seeder(a.ws).canceledMeeting('lead-1').flush(t.store));
  const url = new URL(t.database.url);
  dbName = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
});
afterAll(async () => {
  await admin?.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
  await admin?.end();
  await t?.close();
});

const lead = {
  email: 'outage.lead@example.com',
  sentiment: { label: 'Meeting Booked', classifiedAt: '2026-03-02T14:00:00Z' },
};

describe('a database outage', () => {
  it('answers 503 with Retry-After (GHL 429), keeps /healthz, names the database in /readyz, and recovers by itself', async () => {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
    try {
      const calls = [
        () => http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/leads/lead-1`, { headers: a.auth }),
        () => http(t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/leads/lead-2`, { headers: a.auth, body: lead }),
        () => http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/mismatches`, { headers: a.auth }),
        () => http(t.baseUrl, 'DELETE', `/v1/workspaces/${a.ws}/leads/lead-1/contact`, { headers: a.auth }),
        () =>
          http(t.baseUrl, 'POST', `/webhooks/calendly/${a.ws}`, { body: { event: 'invitee.created', payload: {} } }),
      ];
      for (const call of calls) {
        const r = await call();
        expect(r.status, JSON.stringify(r.body)).toBe(503);
        expect(r.headers.get('retry-after')).toBe('5');
        expect((r.body as { error: { code: string } }).error.code).toMatch(/^(DATABASE|EVENT_STORE)_UNAVAILABLE$/);
      }
      const ghl = await http(t.baseUrl, 'POST', `/webhooks/ghl/${a.ws}`, { body: { type: 'AppointmentCreate' } });
      expect(ghl.status).toBe(429);
      expect(ghl.headers.get('retry-after')).not.toBeNull();
      expect((await http(t.baseUrl, 'GET', '/healthz')).status).toBe(200);
      // /metrics still answers, says the database is down and counts the deliveries it could not take.
      const metrics = await http(t.baseUrl, 'GET', '/metrics');
      expect(metrics.status).toBe(200);
      expect(String(metrics.body)).toMatch(/^recon_database_up 0$/m);
      expect(String(metrics.body)).toMatch(/^recon_webhooks_total\{provider="calendly",outcome="unavailable"\} 1$/m);
      expect(String(metrics.body)).toMatch(/^recon_webhooks_total\{provider="ghl",outcome="unavailable"\} 1$/m);
      const ready = await http(t.baseUrl, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'not_ready',
        checks: { database: false },
        reasons: expect.arrayContaining([{ code: 'DATABASE_UNREACHABLE' }]),
      });
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    }
    // No restart: the pool reconnects, the runners take their locks again.
    let last: unknown = null;
    await waitFor(
      async () => {
        const r = await http(t.baseUrl, 'GET', '/readyz');
        last = r.body;
        return r.status === 200;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: '/readyz 200 again' },
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}; last /readyz: ${JSON.stringify(last)}`);
    });
    const put = await http(t.baseUrl, 'PUT', `/v1/workspaces/${a.ws}/leads/lead-2`, { headers: a.auth, body: lead });
    expect(put.status).toBe(201);
    await t.caughtUp();
    const read = await http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}/leads/lead-2`, { headers: a.auth });
    expect(read.status).toBe(200);
    // The runners that lost their sessions report that they recovered.
    expect([...t.projections.runners().values()].every((r) => r.failing === null)).toBe(true);
  });

  it('names a long transaction in another database in /readyz and /metrics, without its query', async () => {
    const url = new URL(t.database.url);
    url.pathname = '/postgres';
    const other = new pg.Client({ connectionString: url.toString() });
    await other.connect();
    try {
      await other.query('BEGIN');
      // A transaction id is what holds the fence; a plain read-only transaction would not.
      await other.query('SELECT txid_current() /* secret-query-text */');
      const report = await waitFor(
        async () => {
          const r = await http(t.baseUrl, 'GET', '/readyz');
          const reasons = (r.body as { reasons: { code: string; database?: string }[] }).reasons;
          return reasons.find((x) => x.code === 'LONG_TRANSACTION' && x.database === 'postgres') !== undefined
            ? r
            : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 200, description: 'LONG_TRANSACTION reason' },
      );
      expect(JSON.stringify(report.body)).not.toContain('secret-query-text');
      const metrics = await http(t.baseUrl, 'GET', '/metrics');
      expect(String(metrics.body)).toMatch(/recon_oldest_transaction_age_seconds\{database="postgres"\} \d/);
    } finally {
      await other.query('COMMIT').catch(() => undefined);
      await other.end();
    }
  });
});
