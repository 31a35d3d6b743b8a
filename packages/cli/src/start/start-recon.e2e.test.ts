/**
 * The composition root on a given PostgreSQL (DATABASE_URL set): it migrates, listens on a real
 * port, serves every route group in each HTTP role (buildApp is the only place routes are
 * registered; the roles choose the groups), serves no HTTP in background-only roles, and stops
 * cleanly.
 */
import { Writable } from 'node:stream';
import { routeRegistry } from '@recon/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliConfig } from '../runtime/resolve-config';
import type { Role } from '../runtime/roles';
import { startTestConfig, type StartTestConfig } from '../testing/start-test-config';
import { startRecon } from './start-recon';

let setup: StartTestConfig | undefined;
let config: CliConfig;

beforeAll(async () => {
  setup = await startTestConfig('roles');
  config = setup.config;
}, 60_000);

afterAll(async () => {
  await setup?.cleanup();
});

async function routesOf(roles: readonly Role[]): Promise<string[] | null> {
  const recon = await startRecon(config, pino({ level: 'silent' }), { roles: new Set(roles) });
  try {
    return recon.app === null
      ? null
      : routeRegistry(recon.app)
          .map((r) => `${r.method} ${r.url} ${r.auth}`)
          .sort();
  } finally {
    await recon.stop();
  }
}

describe('startRecon', () => {
  it('migrates, listens on a real port, answers with a request id and stops cleanly', async () => {
    const recon = await startRecon(config, pino({ level: 'silent' }), { roles: new Set(['api', 'ingest']) });
    try {
      expect(recon.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${recon.url}/v1/workspaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${config.secrets.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Served' }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    } finally {
      await recon.stop();
    }
    await expect(fetch(`${recon.url}/healthz`)).rejects.toThrow();
  });

  it('serves the same routes, with the same auth, in each HTTP role, and no HTTP without one', async () => {
    const both = await routesOf(['api', 'ingest']);
    for (const route of [
      'GET /healthz public',
      'GET /readyz public',
      'POST /v1/workspaces admin',
      'PUT /v1/workspaces/:ws/leads/:leadId workspace',
      'GET /v1/workspaces/:ws/leads/:leadId workspace',
      'POST /webhooks/calendly/:ws webhook',
      'POST /webhooks/ghl/:ws webhook',
      'POST /v1/cron/reconcile public',
      'POST /v1/workspaces/:ws/leads/:leadId/check workspace',
      'POST /v1/workspaces/:ws/backfills workspace',
      'GET /v1/workspaces/:ws/appointments workspace',
      'GET /v1/workspaces/:ws/notifications workspace',
    ]) {
      expect(both, route).toContain(route);
    }
    expect(await routesOf(['api'])).toEqual(both);
    expect(await routesOf(['ingest', 'projections'])).toEqual(both);
    expect(await routesOf(['projections', 'scheduler'])).toBeNull();
  });

  it('RECON_ALLOW_PRIVATE_URLS: off by default (a private apiBaseUrl is refused); on, recon says so at start', async () => {
    const start = async (allow: boolean) => {
      const lines: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(
            ...chunk
              .toString('utf8')
              .split('\n')
              .filter((l) => l.length > 0),
          );
          done();
        },
      });
      const withPolicy = { ...config, env: { ...config.env, allowPrivateUrls: allow } };
      const recon = await startRecon(withPolicy, pino({ level: 'info' }, destination), { roles: new Set(['api']) });
      try {
        const ws = await fetch(`${recon.url}/v1/workspaces`, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.secrets.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `private-${allow}` }),
        });
        const id = ((await ws.json()) as { id: string }).id;
        const put = await fetch(`${recon.url}/v1/workspaces/${id}/providers/calcom`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${config.secrets.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ accessToken: 'tok', webhookSecret: 'whsec', apiBaseUrl: 'http://127.0.0.1:4010' }),
        });
        return { status: put.status, body: (await put.json()) as { error?: { code: string } }, lines };
      } finally {
        await recon.stop();
      }
    };
    const off = await start(false);
    expect(off.status).toBe(400);
    expect(off.body.error?.code).toBe('OUTBOUND_URL_NOT_HTTPS');
    expect(off.lines.some((l) => l.includes('RECON_ALLOW_PRIVATE_URLS'))).toBe(false);
    const on = await start(true);
    expect(on.status).toBe(200);
    const warnings = on.lines.filter((l) => l.includes('RECON_ALLOW_PRIVATE_URLS is on'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, allowPrivateUrls: true });
  });
});
