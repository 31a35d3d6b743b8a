/**
 * The lead feed (operator key): PUT lead, batch, message activity, contact erasure. The decisions
 * live in @recon/ingest; this module only maps results to HTTP. A written lead's answer carries its
 * `bookingToken` (`recon:<leadId>.<mac>`, signed under the workspace's key): the CRM puts it in the
 * lead's booking links as `utm_content`, and only a booking carrying a valid token is matched by it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  appendLeadErasure,
  applyLeadBatch,
  applyLeadUpdate,
  LeadIdParam,
  LeadInput,
  MAX_BATCH_LEADS,
  MessageInput,
  recordLeadMessage,
} from '@recon/ingest';
import { eraseLeadContact } from '@recon/workspaces';
import { z } from 'zod';
import type { AppServices } from '../app-services';
import { sendError } from '@recon/http';
import { withPosition } from './position-header';
import { shredLeadKeys } from './shred-lead-keys';

const WsParams = z.object({ ws: z.string().min(1).max(64) });
const LeadParams = WsParams.extend({ leadId: LeadIdParam });
const Position = z.string().nullable();
/** What the CRM puts in the lead's booking links as `utm_content` (docs/architecture.md, "Booking tokens"). */
const BookingToken = z.string().describe('`recon:<leadId>.<mac>`: put it in the lead’s booking links as utm_content');

const TOKEN = 'recon:lead-42.qN4k1yO3z9bqV0sZt6mWzA';
const LEAD_EXAMPLE = {
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  ghlContactId: 'cNtAcT42',
  sentiment: { label: 'Meeting Booked', classifiedAt: '2030-06-01T10:00:00Z' },
};

const ItemResult = z.union([
  z.object({
    index: z.number(),
    leadId: z.string(),
    status: z.enum(['created', 'updated', 'unchanged']),
    position: Position,
    bookingToken: BookingToken,
  }),
  z.object({
    index: z.number(),
    leadId: z.string().nullable(),
    status: z.literal('invalid'),
    code: z.string(),
    details: z.array(z.object({ path: z.string(), code: z.string() })),
  }),
]);

export const leadRoutes: FastifyPluginAsyncZod<AppServices> = async (app, services) => {
  const deps = { db: services.db, store: services.store, hashEmail: services.hashEmail, clock: services.clock };

  app.put(
    '/v1/workspaces/:ws/leads/:leadId',
    {
      schema: {
        summary: 'Create or update a lead (email, name, GHL contact id, sentiment); answers its booking token',
        params: LeadParams,
        // `example`, not `examples`: zod drops `examples` from the input side of a schema with a transform (the times).
        body: LeadInput.meta({ example: LEAD_EXAMPLE }),
        response: {
          200: z
            .object({
              leadId: z.string(),
              status: z.enum(['updated', 'unchanged']),
              position: Position,
              bookingToken: BookingToken,
            })
            .meta({ examples: [{ leadId: 'lead-42', status: 'updated', position: '812:1042', bookingToken: TOKEN }] }),
          201: z
            .object({
              leadId: z.string(),
              status: z.literal('created'),
              position: Position,
              bookingToken: BookingToken,
            })
            .meta({ examples: [{ leadId: 'lead-42', status: 'created', position: '812:1042', bookingToken: TOKEN }] }),
        },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      const result = await applyLeadUpdate(deps, { workspaceId: ws, leadId }, request.body);
      if (!result.ok) return sendError(reply, result.code, 'The event store is unavailable; retry later');
      request.log.info({ outcome: result.outcome, events: result.eventsAppended }, 'lead written');
      withPosition(reply, result.position);
      const bookingToken = services.bookingTokens.issue(ws, leadId);
      if (result.outcome === 'created')
        return reply.code(201).send({ leadId, status: 'created' as const, position: result.position, bookingToken });
      return reply.code(200).send({ leadId, status: result.outcome, position: result.position, bookingToken });
    },
  );

  app.post(
    '/v1/workspaces/:ws/leads::batch',
    {
      schema: {
        summary: 'Create or update up to 1,000 leads; invalid items are answered one by one, not refused',
        params: WsParams,
        body: z
          .strictObject({
            leads: z
              .array(z.unknown())
              .min(1)
              .describe('Each item: the PUT body with its `leadId`; an invalid item answers `status: invalid`'),
          })
          .meta({ examples: [{ leads: [{ leadId: 'lead-42', ...LEAD_EXAMPLE }, { leadId: 'lead-43' }] }] }),
        response: {
          200: z.object({ results: z.array(ItemResult), position: Position }).meta({
            examples: [
              {
                results: [
                  { index: 0, leadId: 'lead-42', status: 'unchanged', position: null, bookingToken: TOKEN },
                  {
                    index: 1,
                    leadId: 'lead-43',
                    status: 'created',
                    position: '812:1043',
                    bookingToken: 'recon:lead-43.Zx1c0bYq4mW8k2Rt7sVnPg',
                  },
                ],
                position: '812:1043',
              },
            ],
          }),
        },
      },
    },
    async (request, reply) => {
      const { leads } = request.body;
      if (leads.length > MAX_BATCH_LEADS) {
        return sendError(reply, 'BATCH_TOO_LARGE', `At most ${MAX_BATCH_LEADS} leads per batch`, [
          { path: 'leads', code: 'too_big' },
        ]);
      }
      const result = await applyLeadBatch(deps, request.params.ws, leads);
      if (!result.ok) return sendError(reply, result.code, 'The event store is unavailable; resend the batch later');
      request.log.info(
        { items: result.results.length, invalid: result.results.filter((r) => r.status === 'invalid').length },
        'lead batch written',
      );
      const { ws } = request.params;
      const results = result.results.map((r) =>
        r.status === 'invalid' ? r : { ...r, bookingToken: services.bookingTokens.issue(ws, r.leadId) },
      );
      return withPosition(reply, result.position).send({ results, position: result.position });
    },
  );

  app.post(
    '/v1/workspaces/:ws/leads/:leadId/messages',
    {
      schema: {
        summary: "Record a message's direction and time, never its content (shown with the lead and its mismatches)",
        params: LeadParams,
        body: MessageInput.meta({ example: { direction: 'inbound', at: '2030-06-02T08:15:00Z' } }),
        response: {
          200: z
            .object({ leadId: z.string(), recorded: z.boolean(), position: Position })
            .meta({ examples: [{ leadId: 'lead-42', recorded: true, position: '812:1044' }] }),
        },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      const result = await recordLeadMessage(deps, { workspaceId: ws, leadId }, request.body);
      if (!result.ok) {
        if (result.code === 'LEAD_NOT_FOUND')
          return sendError(reply, 'LEAD_NOT_FOUND', 'No such lead; register it with PUT first');
        return sendError(reply, result.code, 'The event store is unavailable; retry later');
      }
      return withPosition(reply, result.position).send({
        leadId,
        recorded: result.recorded,
        position: result.position,
      });
    },
  );

  app.delete(
    '/v1/workspaces/:ws/leads/:leadId/contact',
    {
      schema: {
        summary: "Erase a lead's contact data (keys shredded, event appended, contact row deleted); idempotent",
        params: LeadParams,
        response: {
          200: z
            .object({ leadId: z.string(), erased: z.boolean() })
            .meta({ examples: [{ leadId: 'lead-42', erased: true }] }),
        },
      },
    },
    async (request, reply) => {
      const { ws, leadId } = request.params;
      // Keys, then the event, then the contact row: a failure at any step leaves the rest for the
      // retry, which does all three (each is idempotent).
      const shredded = await shredLeadKeys(services, { workspaceId: ws, leadId });
      const event = await appendLeadErasure(deps, { workspaceId: ws, leadId });
      if (!event.ok) return sendError(reply, event.code, 'The event store is unavailable; retry later');
      const rowDeleted = await eraseLeadContact(services.db, { workspaceId: ws, leadId });
      const erased = rowDeleted || event.appended || shredded.keysDestroyed > 0;
      request.log.info({ erased, rowDeleted, eventAppended: event.appended, ...shredded }, 'lead contact erased');
      withPosition(reply, event.position);
      return reply.send({ leadId, erased });
    },
  );
};
