/**
 * Calendly as a recon provider: organization-token credentials, limits paced per token user, the
 * lead check by invitee email, the rolling window scan, and `POST /webhooks/calendly/:ws`
 * (`Calendly-Webhook-Signature`, HMAC-SHA256 with a timestamp tolerance).
 */
import { createHash } from 'node:crypto';
import { defineProvider } from '../provider-module';
import { createCalendlyClient } from './calendly-client';
import { CALENDLY_API_BASE_URL, calendlyCredentials } from './calendly-credentials';
import { listCalendlyWebhookSubscriptions } from './calendly-webhook-subscriptions';
import { CALENDLY_RATE_LIMIT } from './calendly-rate-limit';
import { checkCalendlyLead } from './check-calendly-lead';
import { fetchCalendlyInvitee } from './fetch-calendly-invitee';
import { ingestCalendlyDelivery } from './ingest-calendly-delivery';
import { scanCalendlyWindow } from './scan-calendly-window';
import { verifyCalendlySignature } from './verify-calendly-signature';

/** Calendly's limit is per user: the token's user, keyed by a hash of the token (never the token). */
const tokenKey = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 16);

export const calendlyProvider = defineProvider({
  name: 'calendly',
  displayName: 'Calendly',
  credentials: calendlyCredentials,
  rateLimit: { defaults: CALENDLY_RATE_LIMIT, account: (c) => tokenKey(c.accessToken) },
  connect(credentials, http) {
    const client = createCalendlyClient({
      ...http,
      baseUrl: credentials.apiBaseUrl,
      accessToken: credentials.accessToken,
      organizationUri: credentials.organizationUri,
    });
    return {
      checkLead: (ctx, lead) =>
        checkCalendlyLead(client, lead.hashEmail, ctx, {
          email: lead.email,
          alternateEmails: lead.alternateEmails,
          knownInvitees: lead.known.map((k) => k.id),
          ambiguous: (emailHash) => lead.ambiguous(emailHash),
          utmLeadIds: lead.utmLeadIds,
        }),
      scanWindow: (deps, input) => scanCalendlyWindow(deps, { ...input, client }),
      fetchAppointment: (deps, input) => fetchCalendlyInvitee(deps, client, input),
      webhookSubscriptions: () =>
        listCalendlyWebhookSubscriptions(
          { ...http, baseUrl: credentials.apiBaseUrl ?? CALENDLY_API_BASE_URL, accessToken: credentials.accessToken },
          credentials.organizationUri,
        ),
    };
  },
  webhook: {
    verify: (request, credentials, deps) =>
      verifyCalendlySignature({
        header: request.headers['calendly-webhook-signature'],
        rawBody: request.rawBody,
        signingKey: credentials.webhookSigningKey,
        nowMs: request.nowMs,
        ...(deps.signatureToleranceSeconds !== undefined ? { toleranceSeconds: deps.signatureToleranceSeconds } : {}),
      }),
    ingest: (deps, target, rawBody) => ingestCalendlyDelivery(deps, target.workspaceId, rawBody),
  },
});
