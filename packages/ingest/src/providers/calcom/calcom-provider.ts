/**
 * Cal.com as a recon provider: an API key (or OAuth token) and the webhook secret, limits paced per
 * key, the lead check by attendee email through API v2, and `POST /webhooks/calcom/:ws`
 * (`x-cal-signature-256`: HMAC-SHA256 of the raw body). No window scan: every lead's bookings are
 * listed by email, cancelled ones included. Facts and mapping: docs/providers/calcom.md.
 */
import { createHash } from 'node:crypto';
import { defineProvider } from '../provider-module';
import { createCalcomClient } from './calcom-client';
import { calcomCredentials } from './calcom-credentials';
import { CALCOM_RATE_LIMIT } from './calcom-rate-limit';
import { checkCalcomLead } from './check-calcom-lead';
import { ingestCalcomDelivery } from './ingest-calcom-delivery';
import { CALCOM_SIGNATURE_HEADER, verifyCalcomSignature } from './verify-calcom-signature';

/** Cal.com counts requests per API key: keyed by a hash of the key (never the key). */
const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

export const calcomProvider = defineProvider({
  name: 'calcom',
  displayName: 'Cal.com',
  credentials: calcomCredentials,
  rateLimit: { defaults: CALCOM_RATE_LIMIT, account: (c) => tokenKey(c.accessToken) },
  connect(credentials, http) {
    const client = createCalcomClient({
      ...http,
      baseUrl: credentials.apiBaseUrl,
      accessToken: credentials.accessToken,
    });
    return {
      checkLead: (ctx, lead) =>
        checkCalcomLead(client, ctx, {
          email: lead.email,
          alternateEmails: lead.alternateEmails,
          knownBookings: lead.known.map((k) => k.id),
          hashEmail: lead.hashEmail,
          ambiguous: (emailHash) => lead.ambiguous(emailHash),
          utmLeadIds: lead.utmLeadIds,
        }),
    };
  },
  webhook: {
    verify: (request, credentials) =>
      verifyCalcomSignature({
        header: request.headers[CALCOM_SIGNATURE_HEADER],
        rawBody: request.rawBody,
        secret: credentials.webhookSecret,
      }),
    ingest: (deps, target, rawBody) => ingestCalcomDelivery(deps, target.workspaceId, rawBody),
  },
});
