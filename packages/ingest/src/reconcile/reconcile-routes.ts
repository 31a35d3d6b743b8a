/**
 * HTTP for reconciliation, as a Fastify plugin the API registers (ingest holds no server):
 * - `POST /v1/cron/reconcile` for serverless hosts: `Authorization: Bearer <CRON_SECRET>`
 *   (constant-time compare; wrong, missing or unconfigured secret → 401, checked before the body
 *   is read or validated), body `{ maxLeads?, timeBudgetMs? }` (defaults 500 and 50,000 ms),
 *   answers the tick summary.
 * - `POST /v1/workspaces/:ws/leads/:leadId/check`: reconcile one lead now (operator key of the
 *   workspace, by the app's auth hook). Rate-limited per lead (default once per 10 s, 429
 *   RATE_LIMITED) on top of the provider limiters; answers with the lead's new state.
 * The backfill routes (backfill/backfill-routes.ts) and the unmatched appointments list are their
 * own plugins; the API's buildApp registers all three.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SendError } from '@recon/http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { BOOKING_STATES, type BookingState } from '@recon/domain';
import { z } from 'zod';
import { LeadIdParam } from '../leads/lead-input';
import { runReconcileTick, type TickOptions } from '../scheduler/run-reconcile-tick';
import { reconcileLead } from './reconcile-lead';
import type { ReconcileDeps } from './reconcile-deps';

export interface ReconcileRoutesDeps {
  readonly reconcile: ReconcileDeps;
  readonly sendError: SendError;
  /** CRON_SECRET; null disables the cron route (every call 401). */
  readonly cronSecret: string | null;
  /** Tick settings of the cron route besides maxLeads / timeBudgetMs (concurrency…). */
  readonly tick?: Omit<TickOptions, 'maxLeads' | 'timeBudgetMs'>;
  /** Minimum ms between two check-now calls for one lead (default 10,000). */
  readonly checkMinIntervalMs?: number;
}

export const CronBody = z.strictObject({
  maxLeads: z.number().int().min(1).max(100_000).optional(),
  timeBudgetMs: z.number().int().min(1_000).max(900_000).optional(),
});

export const TickSummarySchema = z.object({
  workspaces: z.number().int(),
  leadsChecked: z.number().int(),
  eventsAppended: z.number().int(),
  failures: z.number().int(),
  remaining: z.number().int(),
  durationMs: z.number().int(),
});

const CheckParams = z.object({ ws: z.string().min(1).max(64), leadId: LeadIdParam });

/** The check-now answer: the lead's state after asking its providers (outcome: as in LeadProviderChecked). */
const CheckAnswer = z
  .object({
    leadId: z.string(),
    state: z.enum(BOOKING_STATES as [BookingState, ...BookingState[]]),
    assumed: z.boolean(),
    effective: z.object({ booked: z.boolean(), basis: z.enum(['evidence', 'sentiment']), autoCorrected: z.boolean() }),
    checks: z.array(z.object({ provider: z.string(), outcome: z.unknown() })),
    eventsAppended: z.number().int(),
    position: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        leadId: 'lead-42',
        state: 'booked',
        assumed: false,
        effective: { booked: true, basis: 'evidence', autoCorrected: false },
        checks: [{ provider: 'ghl', outcome: { kind: 'found', count: 1 } }],
        eventsAppended: 2,
        position: '812:1046',
      },
    ],
  });

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function cronAuthorized(request: FastifyRequest, secret: string | null): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
  const given = match?.[1];
  // Compare digests: constant time whatever the lengths; an unset secret matches nothing.
  const ok = timingSafeEqual(digest(given ?? ''), digest(secret ?? ''));
  return ok && secret !== null && secret !== '' && given !== undefined;
}

export function reconcileRoutes(deps: ReconcileRoutesDeps): FastifyPluginAsync {
  const lastCheck = new Map<string, number>();
  const minInterval = deps.checkMinIntervalMs ?? 10_000;
  return async (app) => {
    app.post(
      '/v1/cron/reconcile',
      {
        config: { auth: 'public' },
        schema: {
          summary: 'Run one reconcile tick now (serverless cron; Bearer CRON_SECRET, not an API key)',
          body: CronBody.optional().meta({ examples: [{ maxLeads: 500, timeBudgetMs: 50_000 }] }),
          response: {
            200: TickSummarySchema.meta({
              examples: [
                { workspaces: 3, leadsChecked: 120, eventsAppended: 14, failures: 0, remaining: 0, durationMs: 8_412 },
              ],
            }),
          },
        },
        // The secret first: an unauthenticated caller gets 401 before any body parsing or validation.
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          if (!cronAuthorized(request, deps.cronSecret))
            return deps.sendError(reply, 'UNAUTHORIZED', 'A valid cron secret is required');
          return undefined;
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const body = (request.body ?? {}) as z.infer<typeof CronBody>;
        const timeBudgetMs = body.timeBudgetMs ?? 50_000;
        // The server closes sockets idle longer than its connection timeout: keep this one open for the tick.
        const socket = request.raw.socket;
        if (socket.timeout !== undefined && socket.timeout > 0 && socket.timeout < timeBudgetMs + 30_000)
          socket.setTimeout(timeBudgetMs + 30_000);
        const summary = await runReconcileTick(deps.reconcile, {
          ...deps.tick,
          maxLeads: body.maxLeads ?? 500,
          timeBudgetMs,
        });
        request.log.info({ ...summary }, 'cron reconcile tick');
        return reply.send(summary);
      },
    );

    app.post(
      '/v1/workspaces/:ws/leads/:leadId/check',
      {
        schema: {
          summary:
            'Check one lead with its providers now (rate-limited per lead, default once per 10 s); answers its new state',
          params: CheckParams,
          response: { 200: CheckAnswer },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws, leadId } = request.params as z.infer<typeof CheckParams>;
        const key = `${ws}\u0000${leadId}`;
        const now = Date.now();
        const last = lastCheck.get(key);
        if (last !== undefined && now - last < minInterval) {
          reply.header('retry-after', String(Math.ceil((minInterval - (now - last)) / 1000)));
          return deps.sendError(reply, 'RATE_LIMITED', 'This lead was checked moments ago; retry later');
        }
        lastCheck.set(key, now);
        if (lastCheck.size > 10_000) for (const [k, t] of lastCheck) if (now - t >= minInterval) lastCheck.delete(k);
        const r = await reconcileLead(deps.reconcile, { workspaceId: ws, leadId, source: 'manual' });
        if (!r.ok) {
          if (r.code === 'LEAD_NOT_FOUND') return deps.sendError(reply, 'LEAD_NOT_FOUND', 'No such lead');
          return deps.sendError(reply, r.code, 'The event store is unavailable; retry later');
        }
        const v = r.value;
        request.log.info({ events: v.eventsAppended, state: v.bookingState }, 'lead checked');
        if (v.position !== null) reply.header('x-recon-position', v.position);
        return reply.send({
          leadId,
          state: v.bookingState,
          assumed: v.assumed,
          effective: v.effective,
          checks: v.checks.map((c) => ({ provider: c.provider, outcome: c.outcome })),
          eventsAppended: v.eventsAppended,
          position: v.position,
        });
      },
    );
  };
}
