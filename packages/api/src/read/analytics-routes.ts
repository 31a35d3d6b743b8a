/**
 * `GET …/analytics`: label precision per label, source or day over [from, to) (default the 30 days
 * before now), reschedule-chain lengths, attendance, and the lost-delivery share per provider.
 */
import { sendError } from '@recon/http';
import { attendance, labelPrecisionGroups, rescheduleChains, type ProjectionsDatabase } from '@recon/projections';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { Analytics, AnalyticsQuery } from './analytics-schemas';
import { minPositionGuard } from './min-position';
import { WsParams } from './read-schemas';
import { workspaceDeliveries } from './workspace-deliveries';

const DAY_MS = 86_400_000;
export const DEFAULT_ANALYTICS_DAYS = 30;
export const MAX_ANALYTICS_DAYS = 366;

export const analyticsRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
  app.get(
    '/v1/workspaces/:ws/analytics',
    {
      preHandler: minPositionGuard({ db: db as Kysely<unknown>, store: services.store }),
      schema: {
        summary: 'Label precision: how often each sentiment label was confirmed or contradicted by a provider',
        description:
          'Leads whose label’s `classifiedAt` falls in [`from`, `to`) (default: the 30 days before now; `from` before ' +
          '`to`, at most 366 days apart, else 400 VALIDATION_FAILED), grouped by `groupBy`: `label`, `day` (UTC day ' +
          'of classifiedAt) or `source` (the source — webhook, poller, backfill — of the first provider evidence at ' +
          'or after the label, `none` without one; a label has no source of its own). `medianHoursToEvidence`: ' +
          'from classifiedAt to the first appointment of the lead whose provider update time (else first ' +
          'observation) is at or after it, over confirmed leads. `chains`: reschedule chains whose first ' +
          'appointment was first observed in the window; length = linked appointments plus in-place reschedules; ' +
          '`rescheduledAfterStart` counts chains moved at or after the start the meeting had until then. ' +
          '`attendance`: leads whose current meeting ended in the window and by now (completed includes assumed). ' +
          '`deliveries`: per provider, the facts (bookings, cancellations, reschedules) whose provider update ' +
          'time falls in the window: received by webhook, or lost (found only by polling, no webhook within ' +
          '`lostDeliveryGraceMinutes`).',
        tags: ['read'],
        params: WsParams,
        querystring: AnalyticsQuery,
        response: { 200: Analytics },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const { groupBy } = request.query;
      const now = services.clock();
      const to = request.query.to === undefined ? now : new Date(request.query.to);
      const from =
        request.query.from === undefined
          ? new Date(to.getTime() - DEFAULT_ANALYTICS_DAYS * DAY_MS)
          : new Date(request.query.from);
      if (from.getTime() >= to.getTime())
        return sendError(reply, 'VALIDATION_FAILED', '`from` must be before `to`', [
          { path: 'from', code: 'not_before_to', in: 'querystring' },
        ]);
      if (to.getTime() - from.getTime() > MAX_ANALYTICS_DAYS * DAY_MS)
        return sendError(reply, 'VALIDATION_FAILED', `The window is at most ${MAX_ANALYTICS_DAYS} days`, [
          { path: 'from', code: 'window_too_long', in: 'querystring' },
        ]);
      const w = { workspaceId: ws, from, to, now };
      const [groups, chains, att, deliveries] = await Promise.all([
        labelPrecisionGroups(db, w, groupBy),
        rescheduleChains(db, w),
        attendance(db, w),
        workspaceDeliveries(db as Kysely<unknown>, ws, now, { from, to }),
      ]);
      const lostShare: Record<string, { received: number; lost: number; lostShare: number | null }> = {};
      for (const [provider, c] of Object.entries(deliveries))
        lostShare[provider] = {
          received: c.received,
          lost: c.lost,
          lostShare: c.received + c.lost === 0 ? null : c.lost / (c.received + c.lost),
        };
      return reply.send({
        from: from.toISOString(),
        to: to.toISOString(),
        groupBy,
        groups,
        chains,
        attendance: att,
        deliveries: lostShare,
      });
    },
  );
};
