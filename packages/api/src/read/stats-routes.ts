/**
 * Workspace stats at a glance: counts, open mismatches and tasks, last reconciliation, projection
 * lag (the same for every workspace: at most a second old, fresh for a read-your-writes request).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ALL_PROJECTIONS,
  getDailyStats,
  getStats,
  lastProviderCheckAt,
  projectionStatus,
  type ProjectionsDatabase,
} from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { workspaceDeliveries } from './workspace-deliveries';
import { minPositionGuard, requestedMinPosition } from './min-position';
import { projectionLagMemo } from './projection-lag-memo';
import { DailyStats, DailyStatsQuery, ReadQuery, Stats, WsParams } from './read-schemas';

export const statsRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
  // Each projection's status is a chain of round trips of its own: asked all at once.
  const lag = projectionLagMemo(async () =>
    (
      await Promise.all(
        ALL_PROJECTIONS.map((p) => projectionStatus(db as Kysely<unknown>, services.store, services.clock, [p])),
      )
    ).flat(),
  );
  app.get(
    '/v1/workspaces/:ws/stats',
    {
      preHandler: minPositionGuard({ db: db as Kysely<unknown>, store: services.store }),
      schema: {
        summary: 'Workspace stats at a glance',
        description:
          '`deliveries` counts webhook deliveries per provider: `received` (a webhook delivered the booking, ' +
          'cancellation or reschedule, even after polling found it), `lost` (polling or a backfill found it and no ' +
          'webhook came within `lostDeliveryGraceMinutes` of the provider’s update time, nor since), `pending` ' +
          '(found, still within the grace period), `recovered` (recorded by polling or a backfill before any webhook).',
        tags: ['read'],
        params: WsParams,
        querystring: ReadQuery,
        response: { 200: Stats },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const now = services.clock();
      const [stats, last, status, deliveries] = await Promise.all([
        getStats(db, ws, now),
        lastProviderCheckAt(db, ws),
        lag.get(requestedMinPosition(request) !== undefined),
        workspaceDeliveries(db as Kysely<unknown>, ws, now),
      ]);
      return reply.send({
        ...stats,
        deliveries,
        lastReconciliationAt: last,
        projectionLag: status.map((s) => ({
          projection: s.name,
          lagEvents: s.lagEvents,
          lagSeconds: s.lagSeconds,
          caughtUp: s.caughtUp,
        })),
      });
    },
  );
  app.get(
    '/v1/workspaces/:ws/stats/daily',
    {
      preHandler: minPositionGuard({ db: db as Kysely<unknown>, store: services.store }),
      schema: {
        summary: 'Daily series: leads per state at each day’s end, mismatches opened and closed per day (UTC)',
        description:
          'One entry per UTC day from `from` to `to` (today by recon’s clock) inclusive, oldest first, zeros where ' +
          'nothing happened; `days` (1..366, default 30) sets how many. A day is when the fact happened at its ' +
          'source when the event carries that time — the provider’s update time of a booking, the CRM’s ' +
          '`classifiedAt` of a sentiment, a check’s time — never later than recon recorded it, else the recording ' +
          'time. A lead whose first known state a later-recorded fact predates counts from that fact. ' +
          '`leadsByState` counts each lead once in the state it was in at the day’s end, as `…/stats` does: a ' +
          'booked lead whose scheduled meeting ended by then counts as completed. Mismatches count by the ' +
          'mismatch rows’ own times: opened on the day of `since`, closed on the day of `resolvedAt`.',
        tags: ['read'],
        params: WsParams,
        querystring: DailyStatsQuery,
        response: { 200: DailyStats },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const { days } = request.query;
      const today = services.clock().toISOString().slice(0, 10);
      const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const series = await getDailyStats(db, ws, from, today);
      return reply.send({ from, to: today, timeZone: 'UTC', days: series });
    },
  );
};
