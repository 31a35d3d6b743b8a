import { freshDatabase, type FreshDatabase } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '../src/index';

let database: FreshDatabase;
beforeAll(async () => {
  database = await freshDatabase({ name: 'server' });
});
afterAll(async () => {
  await database?.drop();
});

describe('startServer', () => {
  it('refuses to start without the required configuration, naming what is missing', async () => {
    const config = loadConfig({});
    if (!config.ok) throw new Error(config.message);
    const result = await startServer(config.value);
    expect(result).toMatchObject({ ok: false, code: 'CONFIG_INCOMPLETE' });
    if (!result.ok) for (const name of ['DATABASE_URL', 'RECON_ADMIN_TOKEN', 'RECON_SECRET_KEY']) expect(result.message).toContain(name);
  });

  it('migrates, listens on a real port and stops cleanly', async () => {
    const config = loadConfig({ DATABASE_URL: database.url, PORT: '0', RECON_ADMIN_TOKEN: 'server-admin-token-0123456789', RECON_SECRET_KEY: 'server-secret-key-0123456789abcdef-xyz', LOG_LEVEL: 'silent' });
    if (!config.ok) throw new Error(config.message);
    const started = await startServer(config.value);
    if (!started.ok) throw new Error(started.message);
    try {
      const res = await fetch(`${started.value.url}/v1/workspaces`, {
        method: 'POST',
        headers: { authorization: 'Bearer server-admin-token-0123456789', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Served' }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    } finally {
      await started.value.close();
    }
  });
});
