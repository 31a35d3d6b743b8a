/**
 * `POST /webhooks/<provider>/:ws` for one provider module: the workspace's credentials (cached
 * briefly), the module's signature check over the raw bytes, then the module's ingestion.
 * Status policy: 2xx for appended, duplicate and ignored deliveries (2xx = durable); 4xx only for
 * input that can never succeed (unconfigured workspace, bad or stale signature, malformed body);
 * a delivery that cannot be stored now answers 503 + Retry-After, or the module's `retryLaterCode`
 * (GHL redelivers only after a 429), with nothing half-written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CredentialsResult } from '@recon/workspaces';
import type { ProviderModule } from '../providers/provider-module';
import { loadProviderCredentials } from '../providers/provider-credentials';
import { NO_INGEST_METRICS, report, webhookFailureOutcome, type WebhookOutcome } from '../observability/ingest-metrics';
import { issuesToDetails } from './ingest-result';
import { createTtlCache } from './ttl-cache';
import type { WebhookDeps } from './webhook-deps';
import { WebhookAnswer, WebhookParams, WORKSPACE_ID } from './webhook-params';

const STORE_RETRYABLE = new Set(['EVENT_STORE_UNAVAILABLE', 'EVENT_STORE_ACCESS_DENIED', 'CONCURRENCY_CONFLICT']);

export function registerProviderWebhook<C>(app: FastifyInstance, module: ProviderModule<C>, deps: WebhookDeps): void {
  const { name, displayName, webhook } = module;
  const credentials = createTtlCache<CredentialsResult<C>>(deps.credentialsTtlMs ?? 5_000);
  const notConfigured = `${displayName} is not configured for this workspace`;
  const retryLater = webhook.retryLaterCode;
  const metrics = deps.metrics ?? NO_INGEST_METRICS;
  const count = (outcome: WebhookOutcome) => report(() => metrics.webhook(name, outcome));

  app.post(
    `/webhooks/${name}/:ws`,
    {
      config: { auth: 'webhook', ...(retryLater !== undefined ? { unavailableCode: retryLater } : {}) },
      schema: {
        summary: `${displayName} webhook deliveries (called by ${displayName}, not by integrators)`,
        description:
          `Give this URL to ${displayName} for the workspace. The raw body is checked against the workspace's ` +
          `${displayName} signature settings (docs/providers/${name}.md), then ingested; 2xx means durably stored ` +
          '(202: not an event recon handles), 503 or 429 + Retry-After: redeliver later.',
        params: WebhookParams,
        response: {
          200: WebhookAnswer.meta({
            examples: [{ status: 'accepted', events: 1, matched: true, position: '812:1045' }],
          }),
          202: WebhookAnswer.meta({ examples: [{ status: 'ignored', events: 0, matched: false, position: null }] }),
        },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { ws } = request.params as { ws: string };
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!WORKSPACE_ID.test(ws)) {
        count('not_configured');
        return deps.sendError(reply, 'PROVIDER_NOT_CONFIGURED', notConfigured);
      }
      let creds;
      try {
        creds = await credentials.get(
          ws,
          () => loadProviderCredentials(deps.db, deps.secretBox, ws, module),
          (c) => c.ok,
        );
      } catch {
        count('unavailable');
        return deps.sendError(reply, retryLater ?? 'DATABASE_UNAVAILABLE', 'Storage is unavailable; retry later');
      }
      if (!creds.ok) {
        count(webhookFailureOutcome(creds.code));
        return deps.sendError(reply, creds.code, notConfigured);
      }
      const verified = webhook.verify(
        { headers: request.headers, rawBody, nowMs: deps.clock().getTime() },
        creds.value,
        deps,
      );
      if (!verified.ok) {
        request.log.info({ code: verified.code }, `${name} webhook refused`);
        count(webhookFailureOutcome(verified.code));
        return deps.sendError(reply, verified.code, 'Webhook signature could not be verified');
      }
      const result = await webhook.ingest(deps, { workspaceId: ws, credentials: creds.value }, rawBody);
      if (!result.ok) {
        request.log.info({ code: result.code }, `${name} webhook not ingested`);
        count(webhookFailureOutcome(result.code));
        // A provider that retries only on one code gets it for anything a retry can fix (access
        // denied is a configuration fix away: the provider must keep the delivery).
        const code = retryLater !== undefined && STORE_RETRYABLE.has(result.code) ? retryLater : result.code;
        return deps.sendError(reply, code, 'Delivery could not be ingested', issuesToDetails(result.issues));
      }
      request.log.info(
        { status: result.answer.status, events: result.answer.events, matched: result.answer.matched },
        `${name} webhook`,
      );
      count(result.answer.status);
      return reply.code(result.answer.status === 'ignored' ? 202 : 200).send(result.answer);
    },
  );
}
