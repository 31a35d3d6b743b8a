/**
 * `GET /v1/workspaces/:ws/providers/health` (operator key of the workspace): per configured
 * provider, whether its webhooks arrive (provider-health.ts). Asks Calendly for its webhook
 * subscriptions' state; everything else is read from recon's own tables.
 */
import type { SendError } from '@recon/http';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ReconcileDeps } from '../reconcile/reconcile-deps';
import { getProviderHealth } from './provider-health';

const Params = z.object({ ws: z.string().min(1).max(64) });

const Counts = z.object({ received: z.number(), lost: z.number(), recovered: z.number(), pending: z.number() });

export const ProvidersHealth = z
  .object({
    checkedAt: z.string(),
    providers: z.array(
      z.object({
        provider: z.string(),
        lastWebhookAt: z.string().nullable(),
        lastSuccessfulPollAt: z.string().nullable(),
        failuresLastHour: z.number(),
        lostLast24h: z.number(),
        receivedLast24h: z.number(),
        polledChangesSinceLastWebhook: z.number(),
        deliveries: Counts,
        webhookSubscription: z
          .union([
            z.object({ state: z.enum(['active', 'disabled', 'none']), subscriptions: z.number() }),
            z.object({ state: z.literal('unknown'), code: z.string() }),
          ])
          .nullable(),
        healthy: z.boolean(),
        reasons: z.array(z.enum(['lost_share', 'webhooks_silent', 'subscription_disabled'])),
        autoBackfill: z
          .object({
            jobId: z.string(),
            status: z.string(),
            startedAt: z.string(),
            from: z.string(),
            to: z.string(),
            reasons: z.array(z.string()),
          })
          .nullable(),
      }),
    ),
  })
  .meta({
    examples: [
      {
        checkedAt: '2030-06-02T08:00:00.000Z',
        providers: [
          {
            provider: 'calendly',
            lastWebhookAt: '2030-06-01T09:12:00.000Z',
            lastSuccessfulPollAt: '2030-06-02T07:00:00.000Z',
            failuresLastHour: 0,
            lostLast24h: 4,
            receivedLast24h: 9,
            polledChangesSinceLastWebhook: 3,
            deliveries: { received: 41, lost: 4, recovered: 5, pending: 0 },
            webhookSubscription: { state: 'disabled', subscriptions: 1 },
            healthy: false,
            reasons: ['lost_share', 'subscription_disabled'],
            autoBackfill: {
              jobId: 'bf_3f1c2a9e8b7d4c6a9e0f1a2b3c4d5e6f',
              status: 'running',
              startedAt: '2030-06-02T07:01:00.000Z',
              from: '2030-05-26T07:01:00.000Z',
              to: '2030-08-01T07:01:00.000Z',
              reasons: ['lost_share', 'subscription_disabled'],
            },
          },
        ],
      },
    ],
  });

export function providerHealthRoute(deps: {
  readonly reconcile: ReconcileDeps;
  readonly sendError: SendError;
}): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/workspaces/:ws/providers/health',
      {
        schema: {
          summary: 'Provider health: last webhook, last successful poll, failures, lost deliveries, subscription state',
          description:
            'Per configured provider. `failuresLastHour`: leads whose last check of the provider failed within the ' +
            'hour. `lostLast24h` / `deliveries`: as `…/stats` `deliveries` (a late webhook is received, never lost). ' +
            '`webhookSubscription` (Calendly only, asked live): `disabled` when Calendly disabled every ' +
            'subscription of the organization, `unknown` with the provider failure code when it could not be read. ' +
            '`healthy: false` with `reasons`: `lost_share` (over 10% of the last 24 h lost, at least 2), ' +
            '`webhooks_silent` (no webhook for over 6 h while polls found changes), `subscription_disabled`. ' +
            '`autoBackfill`: the latest bounded backfill recon started by itself for an unhealthy provider (the ' +
            'scheduler checks every 15 min; at most one per provider a day, one unfinished per workspace), or null.',
          params: Params,
          response: { 200: ProvidersHealth },
        },
      },
      async (request, reply) => {
        const { ws } = request.params as { ws: string };
        try {
          const providers = await getProviderHealth(deps.reconcile, ws);
          return reply.send({ checkedAt: deps.reconcile.clock().toISOString(), providers });
        } catch {
          return deps.sendError(reply, 'DATABASE_UNAVAILABLE', 'Storage is unavailable; retry later');
        }
      },
    );
  };
}
