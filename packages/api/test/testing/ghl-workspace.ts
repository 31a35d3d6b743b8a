/** Test support: GHL configured for a workspace with webhook verification by an Ed25519 public key. */
import { expect } from 'vitest';
import type { Ed25519Pair } from './fixtures';
import { request } from './http';
import { admin } from './test-app';

/** `PUT /v1/workspaces/:ws/providers/ghl` with a token, the location and the pair's public key. */
export async function configureGhl(baseUrl: string, ws: string, locationId: string, pair: Ed25519Pair): Promise<void> {
  const put = await request(baseUrl, 'PUT', `/v1/workspaces/${ws}/providers/ghl`, {
    headers: admin,
    body: { accessToken: 'pit-secret-token', locationId, webhookVerification: { ed25519PublicKey: pair.publicKeyPem } },
  });
  expect(put.status).toBe(200);
}
