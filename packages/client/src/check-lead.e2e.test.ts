/**
 * `checkLead` against a live recon serving the reconciliation routes (`recon start`'s check-now
 * route: the api's buildApp with the reconcile group, real PostgreSQL, provider calls refused so no
 * test reaches a network): the answer's contract pinned to the real one, the per-lead rate limit
 * (429 RATE_LIMITED with Retry-After) waited out or handed back by the retry policy, and
 * LEAD_NOT_FOUND.
 */
import { buildApp, type BuildAppDeps, type ReconApp } from '@recon/api';
import { testSchemas } from '@recon/api/testing/test-schemas';
import { admin, ADMIN_TOKEN, SECRET_KEY } from '@recon/api/testing/test-secrets';
import { http } from '@recon/api/testing/read-test-context';
import { createPostgresEventStore, type EventStore } from '@recon/eventstore';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createReconClient, type ReconClient } from './create-recon-client';
import { failure } from './testing/failure';
import { CheckResult } from './schemas';
import type { RetryEvent } from './send-request';

const CHECK_INTERVAL_MS = 1_500;
const offline: typeof fetch = async () => {
  throw new Error('client tests never call a real provider');
};

let database: FreshDatabase;
let store: EventStore;
type AppDatabase = BuildAppDeps['db'] extends Kysely<infer D> ? D : never;
let db: Kysely<AppDatabase>;
let app: ReconApp;
let baseUrl = '';
let ws = '';
let key = '';

beforeAll(async () => {
  database = await freshDatabase({ name: 'client-check', schemas: testSchemas });
  db = new Kysely<AppDatabase>({ dialect: new PostgresDialect({ pool: database.pool }) });
  store = createPostgresEventStore({ connectionString: database.url });
  app = await buildApp({
    db,
    store,
    config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY },
    routes: new Set(['workspaces', 'leads', 'reconcile']),
    reconcile: { providers: { fetch: offline }, checkMinIntervalMs: CHECK_INTERVAL_MS },
  });
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  ws = (await http(baseUrl, 'POST', '/v1/workspaces', { headers: admin, body: { name: 'Check' } })).body.id;
  key = (await http(baseUrl, 'POST', `/v1/workspaces/${ws}/api-keys`, { headers: admin, body: { label: 'crm' } })).body
    .key;
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

const clientWith = (retries: RetryEvent[], maxDelayMs = 30_000): ReconClient =>
  createReconClient({
    baseUrl,
    apiKey: key,
    workspaceId: ws,
    retry: { maxDelayMs },
    onRetry: (e) => retries.push(e),
  });

describe('checkLead', () => {
  it('answers the lead’s state after a check; the answer is exactly the route’s', async () => {
    const client = clientWith([]);
    await client.putLead('check-1', { email: 'cara@example.com' });
    const r = await client.checkLead('check-1');
    expect(r).toMatchObject({ leadId: 'check-1', assumed: expect.any(Boolean), eventsAppended: expect.any(Number) });
    expect(r.effective).toMatchObject({ booked: false });

    await client.putLead('check-2', {});
    const raw = await http(baseUrl, 'POST', `/v1/workspaces/${ws}/leads/check-2/check`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(raw.status).toBe(200);
    const strict = z.strictObject({
      ...CheckResult.shape,
      effective: z.strictObject(CheckResult.shape.effective.shape),
    });
    expect(strict.safeParse(raw.body).error).toBeUndefined();
  });

  it('waits out the per-lead rate limit (429 RATE_LIMITED, Retry-After) and answers', async () => {
    const retries: RetryEvent[] = [];
    const client = clientWith(retries);
    await client.putLead('check-3', {});
    await client.checkLead('check-3');
    const started = Date.now();
    const again = await client.checkLead('check-3');
    expect(again.leadId).toBe('check-3');
    expect(retries.map((e) => [e.code, e.status])).toEqual([['RATE_LIMITED', 429]]);
    expect(retries[0]!.delayMs).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('hands a rate limit longer than maxDelayMs back as RATE_LIMITED with retryAfterMs', async () => {
    const client = clientWith([], 500);
    await client.putLead('check-4', {});
    await client.checkLead('check-4');
    const e = await failure(client.checkLead('check-4'));
    expect([e.code, e.status, e.attempts]).toEqual(['RATE_LIMITED', 429, 1]);
    expect(e.retryAfterMs).toBeGreaterThanOrEqual(1000);
  });

  it('LEAD_NOT_FOUND for a lead never written', async () => {
    const e = await failure(clientWith([]).checkLead('nobody'));
    expect([e.code, e.status, e.route]).toEqual(['LEAD_NOT_FOUND', 404, 'POST /v1/workspaces/:ws/leads/:leadId/check']);
  });
});
