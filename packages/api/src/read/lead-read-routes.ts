/**
 * Lead reads: one lead with everything the lead page shows, its appointments (reschedule chain and
 * history), and leads by booking state (keyset). Queries are the projections package's.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  asOfEvaluatedAt,
  getLead,
  getLeadAppointments,
  getLeadAsOf,
  isLeadKnown,
  listLeadsByState,
  searchLeads,
  type ProjectionsDatabase,
} from '@recon/projections';
import { normalizeEmail } from '@recon/workspaces';
import type { Kysely } from 'kysely';
import type { AppServices } from '../app-services';
import { minPositionGuard } from './min-position';
import { sendReadError } from './read-errors';
import {
  type BOOKING_STATE_VALUES,
  ErrorResponse,
  LeadAnswer,
  LeadAppointments,
  LeadPage,
  LeadParams,
  LeadQuery,
  LeadSearchBody,
  LeadSearchResult,
  LeadsQuery,
  ReadQuery,
  WsParams,
} from './read-schemas';

export const leadReadRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const db = services.db as unknown as Kysely<ProjectionsDatabase>;
  const preHandler = minPositionGuard({ db: db as Kysely<unknown>, store: services.store });

  app.get(
    '/v1/workspaces/:ws/leads/:leadId',
    {
      preHandler,
      schema: {
        summary:
          'A lead: booking state, sentiment, appointment, checks, mismatches, open tasks, gate; with asOf, as recon knew it then',
        tags: ['read'],
        params: LeadParams,
        querystring: LeadQuery,
        response: { 200: LeadAnswer, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      const now = services.clock();
      // With ?asOf=: the events recorded by then; a time after now is answered (and echoed) as of now.
      const asOf = request.query.asOf === undefined ? null : new Date(request.query.asOf);
      const lead =
        asOf === null
          ? await getLead(db, ws, leadId, now)
          : await getLeadAsOf(db, services.store, { workspaceId: ws, leadId, asOf, now });
      if (lead === null)
        return sendReadError(reply, 'LEAD_NOT_FOUND', asOf === null ? 'No such lead' : 'No such lead at that time');
      return reply.send({
        ...lead,
        state: lead.state as (typeof BOOKING_STATE_VALUES)[number],
        bookingToken: services.bookingTokens.issue(ws, leadId),
        ...(asOf === null ? {} : { asOf: asOfEvaluatedAt(asOf, now).toISOString() }),
      });
    },
  );

  app.get(
    '/v1/workspaces/:ws/leads/:leadId/appointments',
    {
      preHandler,
      schema: {
        summary: "A lead's appointments with their reschedule chain and history",
        tags: ['read'],
        params: LeadParams,
        querystring: ReadQuery,
        response: { 200: LeadAppointments, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      const items = await getLeadAppointments(db, ws, leadId);
      if (items.length === 0) {
        if (!(await isLeadKnown(db, ws, leadId))) return sendReadError(reply, 'LEAD_NOT_FOUND', 'No such lead');
      }
      return reply.send({ leadId, items });
    },
  );

  app.post(
    '/v1/workspaces/:ws/leads::search',
    {
      preHandler,
      schema: {
        summary: 'Find leads by email (hashed on the server, never stored or logged) or by lead id prefix (up to 20)',
        tags: ['read'],
        params: WsParams,
        querystring: ReadQuery,
        body: LeadSearchBody,
        response: { 200: LeadSearchResult, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const body = request.body;
      const search =
        'email' in body
          ? { emailHash: services.hashEmail(ws, normalizeEmail(body.email)) }
          : { leadIdPrefix: body.leadIdPrefix };
      const items = await searchLeads(db, ws, search, services.clock());
      return reply.send({
        items: items.map((l) => ({ ...l, state: l.state as (typeof BOOKING_STATE_VALUES)[number] })),
      });
    },
  );

  app.get(
    '/v1/workspaces/:ws/leads',
    {
      preHandler,
      schema: {
        summary: 'Leads in a booking state (keyset paged by lead id)',
        tags: ['read'],
        params: WsParams,
        querystring: LeadsQuery,
        response: { 200: LeadPage, 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { state, limit, cursor } = request.query;
      const page = await listLeadsByState(db, request.params.ws, {
        state,
        limit,
        cursor: cursor ?? null,
        now: services.clock(),
      });
      if (!page.ok)
        return sendReadError(reply, 'CURSOR_INVALID', 'cursor is not one this API issued', [
          { path: 'cursor', code: 'CURSOR_INVALID' },
        ]);
      return reply.send({
        items: page.value.items.map((l) => ({ ...l, state: l.state as typeof state })),
        nextCursor: page.value.nextCursor,
      });
    },
  );
};
