/**
 * GHL (GoHighLevel / LeadConnector) as a recon provider: location-token credentials, limits paced
 * per location, the lead check by contact id, and `POST /webhooks/ghl/:ws` (Ed25519 signatures,
 * legacy RSA only where the workspace enabled it, checked over the raw bytes before any parse; the
 * delivery's locationId must be the workspace's; GHL redelivers only after a 429, so an outage
 * answers WEBHOOK_RETRY_LATER).
 */
import { defineProvider } from '../provider-module';
import { checkGhlLead } from './check-ghl-lead';
import { createGhlClient } from './ghl-client';
import { ghlCredentials } from './ghl-credentials';
import { ghlUnmatched } from './ghl-unmatched';
import { GHL_RATE_LIMIT } from './ghl-rate-limit';
import { ingestGhlDelivery } from './ingest-ghl-delivery';
import { verifyGhlSignature } from './verify-ghl-signature';

export const ghlProvider = defineProvider({
  name: 'ghl',
  displayName: 'GHL',
  credentials: ghlCredentials,
  // GHL counts requests per location (sub-account).
  rateLimit: { defaults: GHL_RATE_LIMIT, account: (c) => c.locationId },
  connect(credentials, http) {
    const client = createGhlClient({
      ...http,
      baseUrl: credentials.apiBaseUrl,
      accessToken: credentials.accessToken,
      locationId: credentials.locationId,
    });
    return {
      checkLead: (ctx, lead) =>
        checkGhlLead(client, ctx, {
          ghlContactId: lead.ghlContactId,
          knownIds: lead.known.map((k) => k.id),
          appointmentState: (id) => lead.appointmentState(id),
          missingSince: (id) => lead.known.find((k) => k.id === id)?.missingSince ?? null,
        }),
    };
  },
  webhook: {
    retryLaterCode: 'WEBHOOK_RETRY_LATER',
    verify: (request, credentials) => {
      const { webhookVerification } = credentials;
      return verifyGhlSignature({
        headers: {
          'x-ghl-signature': request.headers['x-ghl-signature'],
          'x-wh-signature': request.headers['x-wh-signature'],
        },
        rawBody: request.rawBody,
        allowLegacyRsa: webhookVerification.allowLegacyRsa,
        ...(webhookVerification.ed25519PublicKey !== undefined
          ? { ed25519PublicKey: webhookVerification.ed25519PublicKey }
          : {}),
        ...(webhookVerification.rsaPublicKey !== undefined ? { rsaPublicKey: webhookVerification.rsaPublicKey } : {}),
      });
    },
    ingest: (deps, target, rawBody) =>
      ingestGhlDelivery(deps, { workspaceId: target.workspaceId, locationId: target.credentials.locationId }, rawBody),
  },
  unmatched: ghlUnmatched,
});
