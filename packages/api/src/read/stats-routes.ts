/** Workspace stats at a glance: counts, open mismatches and tasks, last reconciliation, projection lag. */
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
import { minPositionGuard } from './min-position';
import { ReadQuery, Stats, WsParams } from './read-schemas';

export const statsRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
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
      // Every lookup at once: each projection's status is a chain of round trips of its own.
      const [stats, last, ...perProjection] = await Promise.all([
        getStats(db, ws, services.clock()),
        lastProviderCheckAt(db, ws),
        ...ALL_PROJECTIONS.map((p) => projectionStatus(db as Kysely<unknown>, services.store, services.clock, [p])),
      ]);
      const status = perProjection.flat();
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
