/** Test support: a workspace with an operator key and Calendly configured with the fixtures' signing key. */
import { expect } from 'vitest';
import { CALENDLY_FIXTURE_KEY } from './fixtures';
import { request } from './http';
import { admin } from './test-app';
import { createWorkspaceWithKey } from './workspace-setup';

/** `PUT /v1/workspaces/:ws/providers/calendly` with a token, an organization and the fixtures' signing key. */
export async function configureCalendly(baseUrl: string, ws: string): Promise<void> {
  const put = await request(baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/calendly`, {
    headers: admin,
    body: {
      accessToken: 'tok',
      organizationUri: 'https://api.calendly.com/organizations/x',
      webhookSigningKey: CALENDLY_FIXTURE_KEY,
    },
  });
  expect(put.status).toBe(200);
}

export async function createCalendlyWorkspace(
  baseUrl: string,
  name: string,
): Promise<{ ws: string; key: string; auth: Record<string, string> }> {
  const created = await createWorkspaceWithKey(baseUrl, name);
  await configureCalendly(baseUrl, created.ws);
  return created;
}
