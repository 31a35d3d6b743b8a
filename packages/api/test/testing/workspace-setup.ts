/** Test support: a workspace with an operator key, created over HTTP with the admin token. */
import { admin } from './test-app';
import { request } from './http';

export async function createWorkspaceWithKey(
  baseUrl: string,
  name: string,
): Promise<{ ws: string; key: string; auth: Record<string, string> }> {
  const created = await request(baseUrl, 'POST', '/v1/workspaces', { body: { name }, headers: admin });
  if (created.status !== 201) throw new Error(`workspace not created: ${created.status}`);
  const ws = created.body['id'] as string;
  const key = await request(baseUrl, 'POST', `/v1/workspaces/${ws}/api-keys`, {
    body: { label: 'test' },
    headers: admin,
  });
  if (key.status !== 201) throw new Error(`key not created: ${key.status}`);
  const secret = key.body['key'] as string;
  return { ws, key: secret, auth: { authorization: `Bearer ${secret}` } };
}
