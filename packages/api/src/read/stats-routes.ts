/**
 * Workspace stats at a glance: counts, open mismatches and tasks, last reconciliation, projection
 * lag (the same for every workspace: at most a second old, fresh for a read-your-writes request).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ALL_PROJECTIONS,
  getStats,
  lastProviderCheckAt,
  projectionStatus,
  type ProjectionsDatabase,
} from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { minPositionGuard, requestedMinPosition } from './min-position';
import { projectionLagMemo } from './projection-lag-memo';
import { ReadQuery, Stats, WsParams } from './read-schemas';

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
        tags: ['read'],
        params: WsParams,
        querystring: ReadQuery,
        response: { 200: Stats },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const [stats, last, status] = await Promise.all([
        getStats(db, ws, services.clock()),
        lastProviderCheckAt(db, ws),
        lag.get(requestedMinPosition(request) !== undefined),
      ]);
      return reply.send({
        ...stats,
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
};
