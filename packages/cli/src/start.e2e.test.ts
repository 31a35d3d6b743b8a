/**
 * `recon start` end to end: a child process on the embedded PostgreSQL (DATABASE_URL unset, a temp
 * RECON_DATA_DIR), driven only over HTTP, stopped with SIGTERM (exit code 0), then started again
 * on the same data directory: the generated secrets and the data survive the restart.
 */
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '@recon/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './runtime/free-port';
import { childEnv, spawnRecon, type ReconProcess } from './testing/recon-process';

const EMAIL = 'e2e.lead.person@example.com';
const running: ReconProcess[] = [];
let base: string;

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) await p.stop('SIGKILL', 5_000).catch(() => undefined);
  if (base === undefined) return;
  // After a failed run, a killed recon leaves its embedded PostgreSQL behind: stop it by its pid file.
  const pid = Number(
    (await readFile(path.join(base, 'data/postgres/postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0],
  );
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGINT');
      await waitFor(
        () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        { timeoutMs: 10_000 },
      );
    } catch {
      // not running
    }
  }
  await rm(base, { recursive: true, force: true });
});

async function http(
  url: string,
  method: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function startRecon(dataDir: string, port: number): Promise<ReconProcess> {
  const recon = spawnRecon(
    ['start'],
    childEnv({ RECON_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
  );
  running.push(recon);
  await recon.waitForLog('recon started', 45_000);
  return recon;
}

describe('recon start (child process, embedded PostgreSQL)', () => {
  it('serves the HTTP contract, stops cleanly on SIGTERM, and keeps secrets and data across a restart', async () => {
    base = await mkdtemp(path.join(tmpdir(), 'recon-start-e2e-'));
    await chmod(base, 0o711); // as root, the embedded cluster's `postgres` user must traverse it
    const dataDir = path.join(base, 'data');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;

    const first = await startRecon(dataDir, port);
    const secretsFile = path.join(dataDir, 'secrets.json');
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as { adminToken: string; cronSecret: string };
    // The log says where the secrets are, never what they are.
    const generated = first.logs().find((l) => l['msg'] === 'generated missing secrets and stored them (mode 0600)');
    expect(generated?.['file']).toBe(secretsFile);
    expect(first.stdout.join('\n')).not.toContain(secrets.adminToken);

    expect(await http(`${url}/healthz`, 'GET', null)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await http(`${url}/readyz`, 'GET', null)).status).toBe(200);
    expect((await http(`${url}/v1/workspaces`, 'POST', null, { name: 'E2E' })).status).toBe(401);

    const ws = await http(`${url}/v1/workspaces`, 'POST', secrets.adminToken, { name: 'E2E' });
    expect(ws.status).toBe(201);
    const wsId = ws.body['id'] as string;
    const key = await http(`${url}/v1/workspaces/${wsId}/api-keys`, 'POST', secrets.adminToken, { label: 'crm' });
    expect(key.status).toBe(201);
    const apiKey = key.body['key'] as string;

    const lead = {
      email: EMAIL,
      name: 'E2E Person',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-11-20T10:00:00.000Z' },
    };
    expect([200, 201]).toContain((await http(`${url}/v1/workspaces/${wsId}/leads/lead-1`, 'PUT', apiKey, lead)).status);
    expect((await http(`${url}/v1/workspaces/${wsId}/leads/lead-1`, 'PUT', apiKey, lead)).status).toBe(200);

    // Read back through the read API once the projections have the lead; unknown leads are 404.
    expect((await http(`${url}/v1/workspaces/${wsId}/leads/no-such-lead`, 'GET', apiKey)).status).toBe(404);
    const read = await waitFor(
      async () => {
        const r = await http(`${url}/v1/workspaces/${wsId}/leads/lead-1`, 'GET', apiKey);
        return r.status === 200 ? r : null;
      },
      { timeoutMs: 10_000, description: 'lead readable through the projections' },
    );
    expect(read.body).toMatchObject({ leadId: 'lead-1', state: 'unknown', sentiment: { label: 'Meeting Booked' } });

    // The composition root wires the reconciliation routes: the cron tick answers with its summary.
    expect((await http(`${url}/v1/cron/reconcile`, 'POST', null, {})).status).toBe(401);
    const tick = await http(`${url}/v1/cron/reconcile`, 'POST', secrets.cronSecret, { maxLeads: 10 });
    expect(tick.status).toBe(200);
    expect(tick.body).toMatchObject({
      workspaces: expect.any(Number),
      leadsChecked: expect.any(Number),
      remaining: expect.any(Number),
    });

    const code = await first.stop('SIGTERM', 20_000);
    expect(code).toBe(0);
    const messages = first.logs().map((l) => l['msg']);
    expect(messages).toEqual(
      expect.arrayContaining([
        'shutting down',
        'http stopped (in-flight requests finished)',
        'projections stopped (checkpoints saved)',
        'storage closed',
        'recon stopped',
      ]),
    );
    expect(first.stdout.join('\n')).not.toContain(EMAIL);
    expect(first.stdout.join('\n')).not.toContain('E2E Person');

    // Second start on the same data directory: same secrets (nothing generated), same data.
    const second = await startRecon(dataDir, port);
    expect(second.logs().some((l) => l['msg'] === 'generated missing secrets and stored them (mode 0600)')).toBe(false);
    const again = await http(`${url}/v1/workspaces/${wsId}/leads/lead-1`, 'PUT', apiKey, lead);
    expect(again.status).toBe(200);
    expect(await second.stop('SIGTERM', 20_000)).toBe(0);
  }, 90_000);
});
