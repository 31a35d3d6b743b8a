/**
 * The client's HTTP behaviour over real HTTP against a scripted local server: 503/429 retried
 * honouring Retry-After (attempts and waits measured), bounded attempts, a Retry-After too long to
 * wait handed to the caller, network failures and timeouts retried for idempotent calls only,
 * aborts, answers outside the contract, and the workspace asked from `GET /v1/me`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createReconClient, type ReconClientOptions } from './create-recon-client';
import { failure } from './testing/failure';
import type { RetryEvent } from './send-request';
import { errorAnswer, startScriptedServer, type ScriptedServer, type Step } from './testing/scripted-server';

const WS = 'ws-1';
const GATE = `GET /v1/workspaces/${WS}/gates/lead-1`;
const CHECK = `POST /v1/workspaces/${WS}/leads/lead-1/check`;
const gate: Step = { status: 200, body: { leadId: 'lead-1', mayEnroll: true, mustPause: false, reason: 'not_booked' } };

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Record<string, readonly Step[]>, options: Partial<ReconClientOptions> = {}) {
  server = await startScriptedServer(script);
  const retries: RetryEvent[] = [];
  const client = createReconClient({
    baseUrl: server.url,
    apiKey: 'rk_test',
    workspaceId: WS,
    onRetry: (e) => retries.push(e),
    ...options,
  });
  return { client, retries, server };
}

describe('503 and 429 with Retry-After', () => {
  it('waits what Retry-After asks (plus ≤ 10 % jitter) between attempts, then answers', async () => {
    const { client, retries, server } = await clientFor({
      [GATE]: [
        errorAnswer(503, 'DATABASE_UNAVAILABLE', { 'retry-after': '1' }),
        errorAnswer(429, 'RATE_LIMITED', { 'retry-after': '1' }),
        gate,
      ],
    });
    const answer = await client.getGate('lead-1');
    expect(answer).toEqual({ leadId: 'lead-1', mayEnroll: true, mustPause: false, reason: 'not_booked' });
    const seen = server.on(GATE);
    expect(seen).toHaveLength(3);
    expect(seen[0]?.headers.authorization).toBe('Bearer rk_test');
    expect(retries.map((r) => [r.attempt, r.status, r.code])).toEqual([
      [1, 503, 'DATABASE_UNAVAILABLE'],
      [2, 429, 'RATE_LIMITED'],
    ]);
    for (const r of retries) {
      expect(r.delayMs).toBeGreaterThanOrEqual(1000);
      expect(r.delayMs).toBeLessThanOrEqual(1100);
      expect(r.route).toBe('GET /v1/workspaces/:ws/gates/:leadId');
    }
    // Measured at the server: each attempt came at least a second after the previous one.
    const gaps = [seen[1]!.at - seen[0]!.at, seen[2]!.at - seen[1]!.at];
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(990);
  });

  it('retries a write (nothing was written) and an HTTP-date Retry-After', async () => {
    const at = new Date(Date.now() + 1000).toUTCString();
    const { client, server } = await clientFor({
      [`PUT /v1/workspaces/${WS}/leads/lead-1`]: [
        errorAnswer(503, 'EVENT_STORE_UNAVAILABLE', { 'retry-after': at }),
        { status: 201, body: { leadId: 'lead-1', status: 'created', position: '1:1', bookingToken: 'recon:lead-1.x' } },
      ],
    });
    const r = await client.putLead('lead-1', { email: 'ana@example.com' });
    expect(r.status).toBe('created');
    const seen = server.on(`PUT /v1/workspaces/${WS}/leads/lead-1`);
    expect(seen).toHaveLength(2);
    expect(seen[1]!.body).toBe(seen[0]!.body);
  });

  it('gives up after maxAttempts with the last answer’s code', async () => {
    const { client, retries, server } = await clientFor(
      { [GATE]: [errorAnswer(503, 'EVENT_STORE_UNAVAILABLE', { 'retry-after': '0' })] },
      { retry: { maxAttempts: 3 } },
    );
    const e = await failure(client.getGate('lead-1'));
    expect([e.code, e.status, e.attempts, e.retryAfterMs]).toEqual(['EVENT_STORE_UNAVAILABLE', 503, 3, 0]);
    expect(server.on(GATE)).toHaveLength(3);
    expect(retries).toHaveLength(2);
  });

  it('does not wait a Retry-After longer than maxDelayMs: the caller gets it', async () => {
    const { client, server } = await clientFor(
      { [GATE]: [errorAnswer(429, 'RATE_LIMITED', { 'retry-after': '120' })] },
      { retry: { maxDelayMs: 10_000 } },
    );
    const started = Date.now();
    const e = await failure(client.getGate('lead-1'));
    expect([e.code, e.status, e.attempts, e.retryAfterMs]).toEqual(['RATE_LIMITED', 429, 1, 120_000]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.on(GATE)).toHaveLength(1);
  });

  it('an abort during the wait ends the call at once (ABORTED)', async () => {
    const { client, server } = await clientFor({
      [GATE]: [errorAnswer(503, 'DATABASE_UNAVAILABLE', { 'retry-after': '5' }), gate],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const e = await failure(client.getGate('lead-1', { signal: controller.signal }));
    expect(e.code).toBe('ABORTED');
    // Well under the 5 s the answer asked for (a loaded machine still answers in far less).
    expect(Date.now() - started).toBeLessThan(4000);
    expect(server.on(GATE)).toHaveLength(1);
  });

  it('retries a read whose minPosition was not reached yet (409 STALE_READ), not other 409s', async () => {
    const { client, server } = await clientFor({
      [GATE]: [errorAnswer(409, 'STALE_READ', { 'retry-after': '0' }), gate],
      [`POST /v1/workspaces/${WS}/tasks/t-1/resolve`]: [errorAnswer(409, 'CONCURRENCY_CONFLICT')],
    });
    expect((await client.getGate('lead-1', { minPosition: '9:9' })).leadId).toBe('lead-1');
    expect(server.on(GATE).map((r) => r.url)).toEqual([
      `/v1/workspaces/${WS}/gates/lead-1?minPosition=9%3A9`,
      `/v1/workspaces/${WS}/gates/lead-1?minPosition=9%3A9`,
    ]);
    expect((await failure(client.resolveTask('t-1'))).attempts).toBe(1);
  });

  it('does not retry other statuses', async () => {
    const { client, server } = await clientFor({ [GATE]: [errorAnswer(500, 'INTERNAL_ERROR'), gate] });
    const e = await failure(client.getGate('lead-1'));
    expect([e.code, e.status]).toEqual(['INTERNAL_ERROR', 500]);
    expect(server.on(GATE)).toHaveLength(1);
  });
});

describe('network failures', () => {
  it('are retried for idempotent calls', async () => {
    const { client, retries, server } = await clientFor({ [GATE]: ['destroy', gate] }, { retry: { baseDelayMs: 10 } });
    expect((await client.getGate('lead-1')).reason).toBe('not_booked');
    expect(server.on(GATE)).toHaveLength(2);
    expect(retries.map((r) => [r.code, r.status])).toEqual([['NETWORK_ERROR', null]]);
  });

  it('are not retried for checkLead (a check may have run)', async () => {
    const { client, server } = await clientFor({ [CHECK]: ['destroy'] });
    const e = await failure(client.checkLead('lead-1'));
    expect([e.code, e.status, e.attempts]).toEqual(['NETWORK_ERROR', null, 1]);
    expect(server.on(CHECK)).toHaveLength(1);
  });

  it('a timed-out attempt is retried for an idempotent call', async () => {
    const { client, retries, server } = await clientFor(
      { [GATE]: ['hang', gate] },
      { timeoutMs: 200, retry: { baseDelayMs: 10 } },
    );
    expect((await client.getGate('lead-1')).leadId).toBe('lead-1');
    expect(server.on(GATE)).toHaveLength(2);
    expect(retries[0]?.code).toBe('TIMEOUT');
  });

  it('refused connections end as NETWORK_ERROR after the bounded attempts', async () => {
    const closed = await startScriptedServer({});
    const url = closed.url;
    await closed.close();
    const client = createReconClient({
      baseUrl: url,
      apiKey: 'k',
      workspaceId: WS,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const e = await failure(client.getLead('lead-1'));
    expect([e.code, e.attempts]).toEqual(['NETWORK_ERROR', 2]);
  });
});

describe('answers outside the contract', () => {
  it('a non-JSON error body (a proxy’s 502) is UNEXPECTED_RESPONSE, not retried', async () => {
    const { client, server } = await clientFor({ [GATE]: [{ status: 502, body: '<html>Bad gateway</html>' }] });
    const e = await failure(client.getGate('lead-1'));
    expect([e.code, e.status]).toEqual(['UNEXPECTED_RESPONSE', 502]);
    expect(server.on(GATE)).toHaveLength(1);
  });

  it('a code this client does not know keeps it as serverCode', async () => {
    const { client } = await clientFor({ [GATE]: [errorAnswer(418, 'TEAPOT_REFUSED')] });
    const e = await failure(client.getGate('lead-1'));
    expect([e.code, e.status, e.serverCode]).toEqual(['UNEXPECTED_RESPONSE', 418, 'TEAPOT_REFUSED']);
  });

  it('a 200 the schema refuses is UNEXPECTED_RESPONSE with paths and codes, never values', async () => {
    const { client } = await clientFor({
      [GATE]: [{ status: 200, body: { leadId: 'lead-1', mayEnroll: 'ana@example.com', mustPause: false } }],
    });
    const e = await failure(client.getGate('lead-1'));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.details.map((d) => d.path).sort()).toEqual(['mayEnroll', 'reason']);
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('ana@example.com');
  });
});

describe('the workspace', () => {
  it('is asked once from GET /v1/me when not given', async () => {
    server = await startScriptedServer({
      'GET /v1/me': [{ status: 200, body: { kind: 'operator', workspaceId: WS, keyId: 'k1', label: 'crm' } }],
      [GATE]: [gate],
    });
    const client = createReconClient({ baseUrl: server.url, apiKey: 'rk_test' });
    await client.getGate('lead-1');
    await client.getGate('lead-1');
    expect(await client.workspaceId()).toBe(WS);
    expect(server.on('GET /v1/me')).toHaveLength(1);
  });

  it('an admin token without workspaceId is WORKSPACE_REQUIRED', async () => {
    server = await startScriptedServer({ 'GET /v1/me': [{ status: 200, body: { kind: 'admin' } }] });
    const client = createReconClient({ baseUrl: server.url, apiKey: 'admin' });
    expect((await failure(client.getLead('lead-1'))).code).toBe('WORKSPACE_REQUIRED');
  });
});
