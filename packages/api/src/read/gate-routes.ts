/**
 * Automation gates: what a follow-up engine asks before enrolling or sending. The batch form takes
 * up to 1,000 leads in one query; a lead recon never saw answers `found: false` and may not be
 * enrolled (`unknown_lead`): nothing is verified about it. PostgreSQL writes the batch answer's
 * JSON (`gatesJson`); the route passes the text through.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { gatesJson, getGate, type ProjectionsDatabase } from '@recon/projections';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { minPositionGuard } from './min-position';
import { sendJsonText } from './json-text-reply';
import { sendReadError } from './read-errors';
import {
  ErrorResponse,
  GateResult,
  GatesQueryBody,
  GatesResult,
  LeadParams,
  ReadQuery,
  WsParams,
} from './read-schemas';

export const gateRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
  const preHandler = minPositionGuard({ db: db as Kysely<unknown>, store: services.store });

  app.get(
    '/v1/workspaces/:ws/gates/:leadId',
    {
      preHandler,
      schema: {
        summary: "A lead's automation gate",
        tags: ['read'],
        params: LeadParams,
        querystring: ReadQuery,
        response: { 200: GateResult, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      const gate = await getGate(db, ws, leadId, services.clock());
      if (gate === null) return sendReadError(reply, 'LEAD_NOT_FOUND', 'No such lead');
      return reply.send({ leadId, ...gate });
    },
  );

  app.post(
    '/v1/workspaces/:ws/gates::query',
    {
      preHandler,
      schema: {
        summary: 'Automation gates of up to 1,000 leads (in request order)',
        tags: ['read'],
        params: WsParams,
        querystring: ReadQuery,
        body: GatesQueryBody,
        response: { 200: GatesResult, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const body = await gatesJson(db, request.params.ws, request.body.leadIds, services.clock());
      return sendJsonText(reply, body);
    },
  );
};
