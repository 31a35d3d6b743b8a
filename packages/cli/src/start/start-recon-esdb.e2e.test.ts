/**
 * The composition root on the EventStoreDB adapter: EVENTSTORE_URL set (here the test-only
 * protocol emulator, never used by `recon start` itself), read models in PostgreSQL. A lead fed
 * over HTTP lands in EventStoreDB and comes back through the projections and the read API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { leadStreamName } from '@recon/domain';
import { startEsdbEmulator, type EsdbEmulator } from '@recon/eventstore/testing';
import { freshDatabase, waitFor, type FreshDatabase } from '@recon/testkit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, type CliConfig } from '../runtime/resolve-config';
import { startRecon, type RunningRecon } from './start-recon';

let database: FreshDatabase;
let emulator: EsdbEmulator;
let dataDir: string;
let config: CliConfig;
let recon: RunningRecon;

beforeAll(async () => {
  database = await freshDatabase({ name: 'cli-start-esdb' });
  emulator = await startEsdbEmulator();
  dataDir = await mkdtemp(path.join(tmpdir(), 'recon-esdb-test-'));
  const resolved = await resolveConfig({
    DATABASE_URL: database.url,
    EVENTSTORE_URL: emulator.connectionString,
    RECON_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  if (!resolved.ok) throw new Error(resolved.message);
  config = resolved.value;
  recon = await startRecon(config, pino({ level: 'silent' }), { roles: new Set(['api', 'ingest', 'projections']) });
}, 60_000);

afterAll(async () => {
  await recon?.stop();
  await emulator?.stop();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function call(
  method: string,
  route: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${recon.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('recon start with EVENTSTORE_URL', () => {
  it('keeps events in EventStoreDB and serves the read models built from them', async () => {
    expect(recon.runtime.eventStoreKind).toBe('eventstoredb');
    const admin = config.secrets.adminToken;
    const ws = await call('POST', '/v1/workspaces', admin, { name: 'ESDB' });
    expect(ws.status).toBe(201);
    const wsId = String(ws.body['id']);
    const put = await call('PUT', `/v1/workspaces/${wsId}/leads/lead-esdb`, admin, {
      email: 'esdb.lead@example.com',
      sentiment: { label: 'Meeting Booked', classifiedAt: '2026-11-20T10:00:00Z' },
    });
    expect(put.status).toBe(201);
    const events = await recon.runtime.store.readStream(leadStreamName(wsId, 'lead-esdb'));
    expect(events.map((e) => e.type)).toContain('LeadRegistered');
    const read = await waitFor(
      async () => {
        const r = await call('GET', `/v1/workspaces/${wsId}/leads/lead-esdb`, admin);
        return r.status === 200 ? r : null;
      },
      { timeoutMs: 15_000, description: 'lead projected from EventStoreDB' },
    );
    expect(read.body).toMatchObject({ leadId: 'lead-esdb', state: 'unknown' });
  });
});
