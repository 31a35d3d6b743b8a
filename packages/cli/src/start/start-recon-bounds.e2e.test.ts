/**
 * `recon start` wires the HTTP bounds of issue 15 (finding 5) from the environment: the /metrics
 * token, the rate limits, the timeouts, and the security headers on every answer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../runtime/resolve-config';
import { startRecon, type RunningRecon } from './start-recon';

const METRICS_TOKEN = 'metrics-token-of-the-start-test';
let database: FreshDatabase;
let dataDir: string;
let recon: RunningRecon;
let url = '';

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-start-bounds' });
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-start-bounds-'));
  const resolved = await resolveConfig({
    DATABASE_URL: database.url,
    RECON_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    RECON_METRICS_TOKEN: METRICS_TOKEN,
    RECON_RATE_LIMIT_IP_MAX: '4',
    RECON_REQUEST_TIMEOUT_MS: '1000',
    RECON_HEADERS_TIMEOUT_MS: '1000',
  });
  if (!resolved.ok) throw new Error(resolved.message);
  recon = await startRecon(resolved.value, pino({ level: 'silent' }), { roles: new Set(['api', 'ingest']) });
  url = recon.url ?? '';
}, 60_000);

afterAll(async () => {
  await recon?.stop();
  await database?.drop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('recon start: HTTP bounds from the environment', () => {
  it('RECON_METRICS_TOKEN guards /metrics; answers carry the security headers', async () => {
    const refused = await fetch(`${url}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(refused.headers.get('content-security-policy')).toContain("default-src 'none'");
    const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
  });

  it('RECON_RATE_LIMIT_IP_MAX limits the public routes per address with Retry-After', async () => {
    // Two /metrics calls above count against the same address.
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/healthz`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('RECON_REQUEST_TIMEOUT_MS cuts a dribbled body with 408', async () => {
    const { hostname, port } = new URL(url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname);
      let text = '';
      const timer = setInterval(() => socket.writable && socket.write('x'), 100);
      socket.on('connect', () =>
        socket.write(
          'POST /webhooks/calendly/ws_none HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
            'Calendly-Webhook-Signature: t=1,v1=00\r\nContent-Length: 500\r\n\r\n',
        ),
      );
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8');
      });
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        resolve(text);
      });
    });
    expect(answer.startsWith('HTTP/1.1 408 ')).toBe(true);
    expect(answer).toContain('REQUEST_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
