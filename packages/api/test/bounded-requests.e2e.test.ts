/**
 * Issue 15, finding 5 — bounded requests, over real HTTP on loopback and a real PostgreSQL:
 * - timeouts: a client that sends headers and dribbles its body (or dribbles its headers) is
 *   answered 408 REQUEST_TIMEOUT and disconnected within the configured timeout;
 * - rate limits: per workspace and client address on webhooks, per API key on the API, per client
 *   address on public routes and for failed authentication; a limited request answers 429
 *   RATE_LIMITED with `Retry-After`, and other keys are not affected;
 * - security headers on JSON, error and page answers (the page keeps its own CSP);
 * - /metrics behind RECON_METRICS_TOKEN when it is set.
 */
import { connect } from 'node:net';
import { createApiKey, createWorkspace } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../src/page/operator-page';
import { admin, ADMIN_TOKEN, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

interface RawAnswer {
  readonly text: string;
  readonly closedAfterMs: number;
}

/** Opens a socket, writes `head`, then one byte of `dribble` every `everyMs` until the server hangs up. */
function dribble(baseUrl: string, head: string, dribbleText: string, everyMs: number): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let text = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < dribbleText.length && socket.writable) socket.write(dribbleText.charAt(sent++));
    }, everyMs);
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server held the slow request for 10 s'));
    }, 10_000);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(guard);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

describe('timeouts: slow clients are cut', () => {
  let t: TestApp;
  let ws = '';
  beforeAll(async () => {
    t = await startTestApp({
      name: 'bounded-timeouts',
      listen: true,
      config: { timeouts: { requestTimeoutMs: 1_000, headersTimeoutMs: 600, keepAliveTimeoutMs: 400 } },
    });
    ws = (await createWorkspaceWithKey(t.baseUrl, 'Timeouts')).ws;
  });
  afterAll(async () => {
    await t?.close();
  });

  const body = JSON.stringify({ name: 'x'.repeat(200) });
  const cases = [
    {
      name: 'API route: headers sent, body dribbled',
      head: () =>
        `POST /v1/workspaces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      dribble: body,
      withinMs: 1_000,
    },
    {
      name: 'webhook route: headers sent, body dribbled',
      head: () =>
        `POST /webhooks/calendly/${ws} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Calendly-Webhook-Signature: t=1,v1=00\r\nContent-Length: ${body.length}\r\n\r\n`,
      dribble: body,
      withinMs: 1_000,
    },
    {
      name: 'probe: headers dribbled',
      head: () => 'GET /healthz HTTP/1.1\r\n',
      dribble: `Host: x\r\nX-Padding: ${'p'.repeat(200)}\r\n\r\n`,
      withinMs: 600,
    },
  ];
  it.each(cases)('$name → 408 REQUEST_TIMEOUT and closed within the timeout', async (c) => {
    const answer = await dribble(t.baseUrl, c.head(), c.dribble, 100);
    expect(answer.text.startsWith('HTTP/1.1 408 ')).toBe(true);
    expect(answer.text).toContain('"code":"REQUEST_TIMEOUT"');
    // Node checks the deadlines every ≤ 250 ms here; the dribble alone would take 20+ s.
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(c.withinMs - 50);
    expect(answer.closedAfterMs).toBeLessThan(c.withinMs + 1_500);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    const answer = await dribble(
      t.baseUrl,
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n',
      '',
      100,
    );
    expect(answer.text.startsWith('HTTP/1.1 200 ')).toBe(true);
    expect(answer.text.toLowerCase()).toContain('keep-alive: timeout=');
    expect(answer.closedAfterMs).toBeGreaterThanOrEqual(350);
    // Node adds up to a second of grace to the keep-alive timeout it announces.
    expect(answer.closedAfterMs).toBeLessThan(3_000);
  });

  it('a connection that never sends a request is closed', async () => {
    const answer = await dribble(t.baseUrl, '', '', 100);
    expect(answer.closedAfterMs).toBeLessThan(2_500);
  });

  it('headers over the size limit → 431 HEADERS_TOO_LARGE with the uniform body, closed', async () => {
    const answer = await dribble(
      t.baseUrl,
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
      '',
      100,
    );
    expect(answer.text.startsWith('HTTP/1.1 431 ')).toBe(true);
    expect(answer.text).toContain('"code":"HEADERS_TOO_LARGE"');
  });

  it('a request sent at once is not affected', async () => {
    const res = await fetch(`${t.baseUrl}/v1/workspaces`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(201);
  });
});

describe('rate limits answer 429 RATE_LIMITED with Retry-After', () => {
  const MAX = 3;
  const API_MAX = 6;
  let t: TestApp;
  let a: { ws: string; auth: Record<string, string> };
  let b: { ws: string; auth: Record<string, string> };
  beforeAll(async () => {
    t = await startTestApp({
      name: 'bounded-rate-limits',
      listen: true,
      config: {
        rateLimits: {
          webhook: { max: MAX, windowMs: 60_000 },
          api: { max: API_MAX, windowMs: 60_000 },
          ip: { max: MAX, windowMs: 60_000 },
        },
      },
    });
    // Set up in the database: the admin's own budget stays whole for the cases.
    const workspace = async (name: string) => {
      const ws = (await createWorkspace(t.db, { name, now: new Date() })).id;
      const key = (await createApiKey(t.db, { workspaceId: ws, label: 'limits', now: new Date() })).key;
      return { ws, auth: { authorization: `Bearer ${key}` } };
    };
    a = await workspace('Limits A');
    b = await workspace('Limits B');
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (
    method: 'GET' | 'POST',
    url: string,
    from: string,
    headers: Record<string, string> = {},
    payload?: string,
  ) =>
    t.app.inject({
      method,
      url,
      remoteAddress: from,
      headers: payload !== undefined ? { 'content-type': 'application/json', ...headers } : headers,
      ...(payload !== undefined ? { payload } : {}),
    });

  interface Case {
    readonly name: string;
    readonly max: number;
    /** The request that is limited after MAX of it. */
    readonly limited: () => ReturnType<typeof send>;
    /** Requests of other keys that still pass once `limited` is refused. */
    readonly unaffected: readonly (() => ReturnType<typeof send>)[];
  }
  const webhook = (ws: () => string, from: string) => () =>
    send('POST', `/webhooks/calendly/${ws()}`, from, { 'calendly-webhook-signature': 't=1,v1=00' }, '{}');
  const cases: readonly Case[] = [
    {
      name: 'webhooks: per workspace and client address',
      max: MAX,
      limited: webhook(() => a.ws, '10.1.0.1'),
      unaffected: [webhook(() => b.ws, '10.1.0.1'), webhook(() => a.ws, '10.1.0.2')],
    },
    {
      name: 'authenticated API: per API key (whatever the address)',
      max: API_MAX,
      limited: () =>
        send('GET', `/v1/workspaces/${a.ws}/leads`, `10.2.0.${1 + Math.floor(Math.random() * 200)}`, a.auth),
      unaffected: [
        () => send('GET', `/v1/workspaces/${b.ws}/leads`, '10.2.0.250', b.auth),
        () => send('GET', `/v1/workspaces/${a.ws}/leads`, '10.2.0.251', admin),
      ],
    },
    {
      name: 'public routes: per client address',
      max: MAX,
      limited: () => send('GET', '/healthz', '10.3.0.1'),
      unaffected: [() => send('GET', '/healthz', '10.3.0.2')],
    },
    {
      name: 'unknown routes: per client address',
      max: MAX,
      limited: () => send('GET', '/no/such/route', '10.4.0.1'),
      unaffected: [() => send('GET', '/no/such/route', '10.4.0.2')],
    },
    {
      name: 'failed authentication: per client address, before the token is looked up',
      max: MAX,
      limited: () =>
        send('GET', `/v1/workspaces/${a.ws}/leads`, '10.5.0.1', { authorization: `Bearer rk_guess${Math.random()}` }),
      unaffected: [
        () => send('GET', `/v1/workspaces/${a.ws}/leads`, '10.5.0.2', { authorization: 'Bearer rk_other-guess' }),
      ],
    },
  ];

  it.each(cases)('$name', async (c) => {
    for (let i = 0; i < c.max; i++) expect((await c.limited()).statusCode).not.toBe(429);
    const refused = await c.limited();
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-content-type-options']).toBe('nosniff');
    for (const other of c.unaffected) expect((await other()).statusCode).not.toBe(429);
  });

  it('refusals are logged once per class and interval with a count, never naming the address or key', () => {
    const lines = t.logLines.filter((l) => l.includes('requests refused by a rate limit'));
    const classes = lines.map((l) => (JSON.parse(l) as { limitClass: string }).limitClass).sort();
    expect(classes).toEqual(['api', 'failed-auth', 'ip', 'webhook']);
    for (const line of lines) expect(line).not.toMatch(/10\.\d+\.0\.\d+|rk_|Bearer/);
  });

  it('an authentication is counted as failed only when it fails', async () => {
    const lead = `/v1/workspaces/${a.ws}/leads`;
    // The admin has spent 1 of API_MAX in the cases above; MAX + 1 successes from one address are no failures.
    for (let i = 0; i < MAX + 1; i++)
      expect([401, 429]).not.toContain((await send('GET', lead, '10.6.0.1', admin)).statusCode);
    expect((await send('GET', lead, '10.6.0.1', { authorization: 'Bearer wrong' })).statusCode).toBe(401);
  });
});

describe('security headers on every answer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: 'bounded-headers' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const common = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'strict-transport-security': expect.stringContaining('max-age='),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
  const apiCsp = expect.stringContaining("default-src 'none'");
  const cases = [
    { name: 'JSON (probe)', method: 'GET', url: '/healthz', headers: {}, status: 200, csp: apiCsp },
    {
      name: 'JSON (authenticated)',
      method: 'POST',
      url: '/v1/workspaces',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":"Headers"}',
      status: 201,
      csp: apiCsp,
    },
    { name: 'error: unknown route', method: 'GET', url: '/nope', headers: {}, status: 404, csp: apiCsp },
    {
      name: 'error: unauthenticated',
      method: 'GET',
      url: '/v1/workspaces/ws_x/leads',
      headers: {},
      status: 401,
      csp: apiCsp,
    },
    {
      name: 'error: unknown workspace',
      method: 'GET',
      url: '/v1/workspaces/ws_x/leads',
      headers: admin,
      status: 404,
      csp: apiCsp,
    },
    {
      name: 'error: validation',
      method: 'POST',
      url: '/v1/workspaces',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":',
      status: 400,
      csp: apiCsp,
    },
    {
      name: 'error: malformed URL (answered before any hook)',
      method: 'GET',
      url: '/v1/workspaces/%E0%A4%A/leads',
      headers: {},
      status: 400,
      csp: apiCsp,
    },
    { name: 'operator page', method: 'GET', url: '/', headers: {}, status: 200, csp: PAGE_CSP },
    { name: 'operator page script', method: 'GET', url: '/assets/app.js', headers: {}, status: 200, csp: PAGE_CSP },
  ] as const;
  it.each(cases)('$name', async (c) => {
    const res = await t.app.inject({
      method: c.method,
      url: c.url,
      headers: c.headers,
      ...('payload' in c ? { payload: c.payload } : {}),
    });
    expect(res.statusCode).toBe(c.status);
    expect(res.headers).toMatchObject({ ...common, 'content-security-policy': c.csp });
  });
});

describe('/metrics behind RECON_METRICS_TOKEN', () => {
  const TOKEN = 'metrics-token-for-tests-0123456789';
  let open: TestApp;
  let guarded: TestApp;
  beforeAll(async () => {
    open = await startTestApp({ name: 'bounded-metrics-open' });
    guarded = await startTestApp({ name: 'bounded-metrics-token', config: { metricsToken: TOKEN } });
  });
  afterAll(async () => {
    await open?.close();
    await guarded?.close();
  });

  const cases = [
    { name: 'unset: public', app: () => open, url: '/metrics', authorization: undefined, status: 200 },
    { name: 'set: no token', app: () => guarded, url: '/metrics', authorization: undefined, status: 401 },
    { name: 'set: wrong token', app: () => guarded, url: '/metrics', authorization: 'Bearer nope', status: 401 },
    {
      name: 'set: near-miss token',
      app: () => guarded,
      url: '/metrics',
      authorization: `Bearer ${TOKEN}x`,
      status: 401,
    },
    {
      name: 'set: admin token is not it',
      app: () => guarded,
      url: '/metrics',
      authorization: admin.authorization,
      status: 401,
    },
    { name: 'set: the token', app: () => guarded, url: '/metrics', authorization: `Bearer ${TOKEN}`, status: 200 },
    {
      name: 'set: other probes stay public',
      app: () => guarded,
      url: '/healthz',
      authorization: undefined,
      status: 200,
    },
  ];
  it.each(cases)('$name → $status', async (c) => {
    const res = await c
      .app()
      .app.inject({ method: 'GET', url: c.url, headers: c.authorization ? { authorization: c.authorization } : {} });
    expect(res.statusCode).toBe(c.status);
    if (c.status === 401) {
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    if (c.status === 200 && c.url === '/metrics') expect(res.body).toContain('recon_http_request_duration_seconds');
  });
});
