/**
 * POST /webhooks/calendly/:ws. Status policy (Calendly retries every non-2xx for 24 h, then
 * disables the subscription): 2xx for appended, duplicate and ignored deliveries; 4xx only for
 * input that can never succeed (unconfigured workspace, bad or stale signature, malformed body);
 * 503 + Retry-After when the store is unavailable, with nothing half-written. 2xx = durable.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { getCalendlyCredentials } from '@recon/workspaces';
import { verifyCalendlySignature } from './verify-calendly-signature';
import { ingestCalendlyDelivery } from './ingest-calendly-delivery';
import { issuesToDetails } from './ingest-result';
import { keepRawBodies } from './raw-body';
import { createTtlCache } from './ttl-cache';
import type { WebhookDeps } from './webhook-deps';
import { WebhookAnswer, WebhookParams, WORKSPACE_ID } from './webhook-params';

export const DEFAULT_WEBHOOK_BODY_LIMIT = 256 * 1024;

export const calendlyWebhookPlugin: FastifyPluginAsync<WebhookDeps> = async (app, deps) => {
  keepRawBodies(app, deps.bodyLimit ?? DEFAULT_WEBHOOK_BODY_LIMIT);
  const credentials = createTtlCache<Awaited<ReturnType<typeof getCalendlyCredentials>>>(deps.credentialsTtlMs ?? 5_000);

  app.post(
    '/webhooks/calendly/:ws',
    { config: { auth: 'webhook' }, schema: { params: WebhookParams, response: { 200: WebhookAnswer, 202: WebhookAnswer } } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { ws } = request.params as { ws: string };
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!WORKSPACE_ID.test(ws)) return deps.sendError(reply, 'PROVIDER_NOT_CONFIGURED', 'Calendly is not configured for this workspace');
      let creds;
      try {
        creds = await credentials.get(ws, () => getCalendlyCredentials(deps.db, deps.secretBox, ws), (c) => c.ok);
      } catch {
        return deps.sendError(reply, 'DATABASE_UNAVAILABLE', 'Storage is unavailable; retry later');
      }
      if (!creds.ok) return deps.sendError(reply, creds.code, 'Calendly is not configured for this workspace');
      const verified = verifyCalendlySignature({
        header: request.headers['calendly-webhook-signature'],
        rawBody,
        signingKey: creds.value.webhookSigningKey,
        nowMs: deps.clock().getTime(),
        ...(deps.calendlyToleranceSeconds !== undefined ? { toleranceSeconds: deps.calendlyToleranceSeconds } : {}),
      });
      if (!verified.ok) {
        request.log.info({ code: verified.code }, 'calendly webhook refused');
        return deps.sendError(reply, verified.code, 'Webhook signature could not be verified');
      }
      const result = await ingestCalendlyDelivery(deps, ws, rawBody);
      if (!result.ok) {
        request.log.info({ code: result.code }, 'calendly webhook not ingested');
        return deps.sendError(reply, result.code, 'Delivery could not be ingested', issuesToDetails(result.issues));
      }
      request.log.info({ status: result.answer.status, events: result.answer.events, matched: result.answer.matched }, 'calendly webhook');
      return reply.code(result.answer.status === 'ignored' ? 202 : 200).send(result.answer);
    },
  );
};
