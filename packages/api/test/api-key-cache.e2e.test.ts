/**
 * The operator key lookup cache over real HTTP: a key revoked by this process is refused at once
 * (the cache entry is dropped by the DELETE route), the cache holds sha256 digests only, and a
 * revocation by another process (another app on the same database) takes effect within the TTL.
 */
import { hashApiKey } from '@recon/workspaces';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createApiKeyCache, type ApiKeyCache, type ReconApp } from '../src/index';
import { request } from './testing/http';
import { admin, ADMIN_TOKEN, SECRET_KEY, startTestApp, type TestApp } from './testing/test-app';
import { createWorkspaceWithKey } from './testing/workspace-setup';

let t: TestApp;
let cache: ApiKeyCache;

beforeAll(async () => {
  cache = createApiKeyCache();
  t = await startTestApp({ name: 'api-key-cache', listen: true, apiKeyCache: cache });
});
afterAll(async () => {
  await t?.close();
});

async function keyIdOf(ws: string): Promise<string> {
  return (await t.db.selectFrom('api_keys').select('id').where('workspace_id', '=', ws).executeTakeFirstOrThrow()).id;
}

describe('api key cache', () => {
  it('a key revoked by this process is refused at once (401), though it was cached', async () => {
    const c = await createWorkspaceWithKey(t.baseUrl, 'revoked-here');
    expect((await request(t.baseUrl, 'GET', `/v1/workspaces/${c.ws}/settings`, { headers: c.auth })).status).toBe(200);
    expect(cache.digests()).toContain(hashApiKey(c.key));
    const keyId = await keyIdOf(c.ws);
    expect(
      (await request(t.baseUrl, 'DELETE', `/v1/workspaces/${c.ws}/api-keys/${keyId}`, { headers: admin })).status,
    ).toBe(200);
    const after = await request(t.baseUrl, 'GET', `/v1/workspaces/${c.ws}/settings`, { headers: c.auth });
    expect(after.status).toBe(401);
    expect((after.body['error'] as { code: string }).code).toBe('UNAUTHORIZED');
  });

  it('the cache holds sha256 digests only, never a raw key', async () => {
    const c = await createWorkspaceWithKey(t.baseUrl, 'digests');
    for (const auth of [c.auth, { authorization: 'Bearer rk_unknown-key-for-the-negative-entry' }]) {
      await request(t.baseUrl, 'GET', `/v1/workspaces/${c.ws}/settings`, { headers: auth });
    }
    const held = cache.digests();
    expect(held).toEqual(
      expect.arrayContaining([hashApiKey(c.key), hashApiKey('rk_unknown-key-for-the-negative-entry')]),
    );
    for (const digest of held) expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(held)).not.toContain(c.key);
    expect(JSON.stringify(held)).not.toContain('rk_');
  });

  it("another process's revocation takes effect within the TTL", async () => {
    const ttlMs = 300;
    const other: ReconApp = await buildApp({
      db: t.db,
      store: t.store,
      config: { adminToken: ADMIN_TOKEN, secretKey: SECRET_KEY },
      apiKeyCache: createApiKeyCache({ ttlMs }),
    });
    try {
      const c = await createWorkspaceWithKey(t.baseUrl, 'revoked-elsewhere');
      const get = async () =>
        (await other.inject({ method: 'GET', url: `/v1/workspaces/${c.ws}/settings`, headers: c.auth })).statusCode;
      expect(await get()).toBe(200); // cached in the other app
      const keyId = await keyIdOf(c.ws);
      expect(
        (await request(t.baseUrl, 'DELETE', `/v1/workspaces/${c.ws}/api-keys/${keyId}`, { headers: admin })).status,
      ).toBe(200);
      const revokedAt = Date.now();
      let status = await get();
      while (status !== 401 && Date.now() - revokedAt < ttlMs + 2_000) {
        await new Promise((resolve) => setImmediate(resolve));
        status = await get();
      }
      expect(status).toBe(401);
      expect(Date.now() - revokedAt).toBeLessThan(ttlMs + 2_000);
    } finally {
      await other.close();
    }
  });
});
