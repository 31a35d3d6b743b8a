/**
 * Open mismatches for triage, keyset paged (the operator page's main list). PostgreSQL writes the
 * page's JSON (`mismatchPageJson`); the route passes the text through.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mismatchPageJson, type ProjectionsDatabase } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { minPositionGuard } from './min-position';
import { sendJsonText } from './json-text-reply';
import { sendReadError } from './read-errors';
import { ErrorResponse, MismatchesQuery, MismatchPage, WsParams } from './read-schemas';

export const mismatchRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
  app.get(
    '/v1/workspaces/:ws/mismatches',
    {
      preHandler: minPositionGuard({ db: db as Kysely<unknown>, store: services.store }),
      schema: {
        summary: 'Open mismatches (keyset paged by since, lead, kind; optional kind filter)',
        tags: ['read'],
        params: WsParams,
        querystring: MismatchesQuery,
        response: { 200: MismatchPage, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { kind, limit, cursor } = request.query;
      const page = await mismatchPageJson(db, request.params.ws, {
        ...(kind !== undefined ? { kind } : {}),
        limit,
        cursor: cursor ?? null,
      });
      if (!page.ok)
        return sendReadError(reply, 'CURSOR_INVALID', 'cursor is not one this API issued', [
          { path: 'cursor', code: 'CURSOR_INVALID' },
        ]);
      return sendJsonText(reply, page.value);
    },
  );
};
