/**
 * `POST /v1/workspaces/:ws/appointments:link` (operator key of the workspace, or admin): an
 * operator links a booking recon could not match (`GET …/appointments?unmatched=true` lists it,
 * with the same `provider` and `providerAppointmentId`) to one of the workspace's leads. The domain
 * decides (`decideLinkAppointment`, `matchedBy: 'manual'`) and `AppointmentLinkedToLead` is appended
 * to the appointment's stream at its exact revision — the identities process manager's code path
 * (@recon/projections `linkAppointmentToLead`), link carried down a reschedule chain included. The
 * lead's stream is the authority on whether the lead exists (an erased lead still does: its state
 * and history stay). Linking to the lead it already has appends nothing (`alreadyLinked: true`);
 * a booking linked to another lead is refused (409), never moved.
 */
import { leadStreamName } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';
import type { SendError } from '@recon/http';
import { linkAppointmentToLead } from '@recon/projections';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LeadIdParam } from '../leads/lead-input';
import { providerNames } from '../providers/registry';
import { errorAnswer } from './error-answer';

const Params = z.object({ ws: z.string().min(1).max(64) });

const PROVIDERS = providerNames as unknown as [string, ...string[]];

export const LinkAppointmentBody = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    providerAppointmentId: z.string().min(1).max(2_000),
    leadId: LeadIdParam,
  })
  .meta({
    examples: [
      {
        provider: 'calendly',
        providerAppointmentId: 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1',
        leadId: 'lead-42',
      },
    ],
  });

const LinkAnswer = z
  .object({
    linked: z.literal(true),
    leadId: z.string(),
    provider: z.string(),
    providerAppointmentId: z.string(),
    alreadyLinked: z.boolean(),
    position: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        linked: true,
        leadId: 'lead-42',
        provider: 'calendly',
        providerAppointmentId: 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1',
        alreadyLinked: false,
        position: '812:1046',
      },
    ],
  });

export function linkAppointmentRoute(deps: {
  readonly store: EventStore;
  readonly clock: () => Date;
  readonly sendError: SendError;
}): FastifyPluginAsync {
  return async (app) => {
    app.post(
      '/v1/workspaces/:ws/appointments::link',
      {
        schema: {
          summary: 'Link an unmatched booking to a lead (operator decision, matchedBy manual); idempotent',
          description:
            'The booking is named as `GET …/appointments?unmatched=true` lists it. 200 when linked (`alreadyLinked` ' +
            'true and `position` null when it already had this lead: nothing appended); `position` is the appended ' +
            "event's global position (also in `x-recon-position`) for `?minPosition=` reads. 404 APPOINTMENT_NOT_FOUND " +
            'or LEAD_NOT_FOUND, 409 APPOINTMENT_LINKED_TO_OTHER_LEAD (links are never moved).',
          params: Params,
          body: LinkAppointmentBody,
          response: {
            200: LinkAnswer,
            404: errorAnswer('APPOINTMENT_NOT_FOUND', 'No such booking in this workspace'),
            409: errorAnswer('APPOINTMENT_LINKED_TO_OTHER_LEAD', 'The booking is linked to another lead'),
          },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws } = request.params as z.infer<typeof Params>;
        const body = request.body as z.infer<typeof LinkAppointmentBody>;
        // Store failures throw an EventStoreError: the app's error handler answers 503 with Retry-After.
        const lead = await deps.store.readStream(leadStreamName(ws, body.leadId), { maxCount: 1 });
        if (lead.length === 0) return deps.sendError(reply, 'LEAD_NOT_FOUND', 'No such lead');
        const outcome = await linkAppointmentToLead(
          deps.store,
          {
            workspaceId: ws,
            leadId: body.leadId,
            provider: body.provider as Parameters<typeof linkAppointmentToLead>[1]['provider'],
            providerAppointmentId: body.providerAppointmentId,
            matchedBy: 'manual',
          },
          deps.clock(),
        );
        if (outcome.status === 'retry')
          return deps.sendError(reply, 'CONCURRENCY_CONFLICT', 'The booking kept changing; retry');
        if (outcome.status === 'failed')
          return deps.sendError(
            reply,
            outcome.error,
            outcome.error === 'APPOINTMENT_NOT_FOUND'
              ? 'No such booking in this workspace'
              : 'The booking is linked to another lead',
          );
        request.log.info({ appended: outcome.appended }, 'appointment linked by operator');
        if (outcome.position !== null) reply.header('x-recon-position', outcome.position);
        return reply.send({
          linked: true,
          leadId: body.leadId,
          provider: body.provider,
          providerAppointmentId: body.providerAppointmentId,
          alreadyLinked: !outcome.appended,
          position: outcome.position,
        });
      },
    );
  };
}
