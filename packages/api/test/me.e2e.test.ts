/** `GET /v1/me`: the credential alone says who it is (the page signs in with the key only). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { request } from './testing/http';
import { admin, startTestApp, type TestApp } from './testing/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ name: 'me', listen: true });
});
afterAll(() => t.close());

describe('GET /v1/me', () => {
  it('an operator key → its workspace, key id and label; the admin token → admin; nothing else', async () => {
    const created = await request(t.baseUrl, 'POST', '/v1/workspaces', { body: { name: 'Me' }, headers: admin });
    const ws = created.body['id'] as string;
    const issued = await request(t.baseUrl, 'POST', `/v1/workspaces/${ws}/api-keys`, {
      body: { label: 'crm-sync' },
      headers: admin,
    });
    const key = issued.body['key'] as string;
    const keyId = issued.body['id'] as string;
    const me = await request(t.baseUrl, 'GET', '/v1/me', { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ kind: 'operator', workspaceId: ws, keyId, label: 'crm-sync' });
    expect(JSON.stringify(me.body)).not.toContain(key);

    const asAdmin = await request(t.baseUrl, 'GET', '/v1/me', { headers: admin });
    expect(asAdmin.body).toEqual({ kind: 'admin' });

    for (const headers of [{}, { authorization: 'Bearer rk_nope' }, { authorization: 'Bearer wrong' }]) {
      const refused = await request(t.baseUrl, 'GET', '/v1/me', { headers });
      expect(refused.status).toBe(401);
      expect((refused.body['error'] as { code: string }).code).toBe('UNAUTHORIZED');
    }
    const revoke = await request(t.baseUrl, 'DELETE', `/v1/workspaces/${ws}/api-keys/${keyId}`, { headers: admin });
    expect(revoke.status).toBe(200);
  });
});
