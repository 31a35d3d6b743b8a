/**
 * POST /webhooks/ghl/:ws. GHL retries a delivery only when it is answered 429 (ghl.md §6): every
 * other status is final. So a delivery we cannot store right now (store unavailable, concurrency
 * exhausted) answers 429 + Retry-After; 2xx means durably appended, duplicate or ignored; 4xx only
 * for input that can never succeed.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { getGhlCredentials } from '@recon/workspaces';
import { DEFAULT_WEBHOOK_BODY_LIMIT } from './calendly-webhook-plugin';
import { ingestGhlDelivery } from './ingest-ghl-delivery';
import { issuesToDetails } from './ingest-result';
import { keepRawBodies } from './raw-body';
import { createTtlCache } from './ttl-cache';
import { verifyGhlSignature } from './verify-ghl-signature';
import type { WebhookDeps } from './webhook-deps';
import { WebhookAnswer, WebhookParams, WORKSPACE_ID } from './webhook-params';

const RETRY_LATER = 'WEBHOOK_RETRY_LATER';

export const ghlWebhookPlugin: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  keepRawBodies(app, deps.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT);
  const credentials = createTtlCache<Awaited<ReturnType<typeof getGhlCredentials>>>(deps.credentialsTtlMs ?? 5_000);

  app.post(
    '/webhooks/ghl/:ws',
    // GHL redelivers only after a 429: an outage answers that instead of 503.
    { config: { auth: 'webhook', unavailableCode: RETRY_LATER }, schema: { params: WebhookParams, response: { 200: WebhookAnswer, 202: WebhookAnswer } } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { ws } = request.params as { ws: string };
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!WORKSPACE_ID.test(ws)) return deps.sendError(reply, 'PROVIDER_NOT_CONFIGURED', 'GHL is not configured for this workspace');
      let creds;
      try {
        creds = await credentials.get(ws, () => getGhlCredentials(deps.db, deps.secretBox, ws), (c) => c.ok);
      } catch {
        return deps.sendError(reply, RETRY_LATER, 'Storage is unavailable; retry later');
      }
      if (!creds.ok) return deps.sendError(reply, creds.code, 'GHL is not configured for this workspace');
      const { webhookVerification } = creds.value;
      const verified = verifyGhlSignature({
        headers: { 'x-ghl-signature': request.headers['x-ghl-signature'], 'x-wh-signature': request.headers['x-wh-signature'] },
        rawBody,
        ...(webhookVerification.ed25519PublicKey !== undefined ? { ed25519PublicKey: webhookVerification.ed25519PublicKey } : {}),
        ...(webhookVerification.rsaPublicKey !== undefined ? { rsaPublicKey: webhookVerification.rsaPublicKey } : {}),
      });
      if (!verified.ok) {
        request.log.info({ code: verified.code }, 'ghl webhook refused');
        return deps.sendError(reply, verified.code, 'Webhook signature could not be verified');
      }
      const result = await ingestGhlDelivery(deps, { workspaceId: ws, locationId: creds.value.locationId }, rawBody);
      if (!result.ok) {
        request.log.info({ code: result.code }, 'ghl webhook not ingested');
        // Access denied is a configuration fix away: GHL must keep the delivery and retry.
        const retryable = result.code === 'EVENT_STORE_UNAVAILABLE' || result.code === 'EVENT_STORE_ACCESS_DENIED' || result.code === 'CONCURRENCY_CONFLICT';
        return deps.sendError(reply, retryable ? RETRY_LATER : result.code, 'Delivery could not be ingested', issuesToDetails(result.issues));
      }
      request.log.info({ status: result.answer.status, events: result.answer.events, matched: result.answer.matched }, 'ghl webhook');
      return reply.code(result.answer.status === 'ignored' ? 202 : 200).send(result.answer);
    },
  );
};
