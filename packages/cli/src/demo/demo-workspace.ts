/**
 * The demo's workspace, created through recon's admin API: a workspace, an operator key and both
 * providers pointed at the local simulators (GHL's webhook key is the simulator signer's).
 */
import { DEMO_CALENDLY, DEMO_GHL } from './demo-credentials';
import { demoCall } from './demo-http';
import type { DemoProviders } from './demo-providers';

export interface DemoWorkspace {
  readonly workspaceId: string;
  readonly operatorKey: string;
}

export async function createDemoWorkspace(
  url: string,
  adminToken: string,
  providers: DemoProviders,
): Promise<DemoWorkspace> {
  const admin = { token: adminToken };
  const ws = await demoCall(`${url}/v1/workspaces`, 'POST', [201], {
    ...admin,
    body: { name: `Demo ${new Date().toISOString().slice(0, 16)}` },
  });
  const workspaceId = String(ws['id']);
  const key = await demoCall(`${url}/v1/workspaces/${workspaceId}/api-keys`, 'POST', [201], {
    ...admin,
    body: { label: 'demo operator' },
  });
  await demoCall(`${url}/v1/workspaces/${workspaceId}/providers/ghl`, 'PUT', [200, 201], {
    ...admin,
    body: {
      accessToken: DEMO_GHL.accessToken,
      locationId: DEMO_GHL.locationId,
      apiBaseUrl: providers.ghlUrl,
      webhookVerification: { ed25519PublicKey: providers.ghlPublicKeyPem },
    },
  });
  await demoCall(`${url}/v1/workspaces/${workspaceId}/providers/calendly`, 'PUT', [200, 201], {
    ...admin,
    body: {
      accessToken: DEMO_CALENDLY.accessToken,
      organizationUri: DEMO_CALENDLY.organizationUri,
      webhookSigningKey: DEMO_CALENDLY.webhookSigningKey,
      apiBaseUrl: providers.calendlyUrl,
    },
  });
  return { workspaceId, operatorKey: String(key['key']) };
}
