/**
 * `GET /v1/workspaces/:ws/appointments?unmatched=true` (operator key of the workspace): bookings no
 * lead matched yet (identity drift: another email, an unknown GHL contact), keyset-paged from the
 * projections' `appointments` read model, each with the reason it stays unmatched, derived from
 * the match keys the booking carried (hashes and ids only, never an email). A lead feed update
 * that adds the email links them later without a new backfill (the identities projection).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { listUnmatchedAppointments, type ProjectionsDatabase } from '@recon/projections';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { z } from 'zod';
import type { WebhookSendError } from '../webhooks/webhook-deps';

export type UnmatchedReason = 'no_lead_with_invitee_email' | 'utm_lead_unknown' | 'ghl_contact_not_a_lead' | 'no_contact_on_appointment' | 'no_match_keys';

const Query = z.object({
  unmatched: z.literal('true'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});
const Params = z.object({ ws: z.string().min(1).max(64) });

interface Keys {
  invitee_email_hash: string | null;
  guest_email_hashes: string[];
  ghl_contact_id: string | null;
  utm_lead_ids: string[];
}

export function unmatchedReason(provider: string, keys: Keys | undefined): { reason: UnmatchedReason; guestEmails: number } {
  if (!keys) return { reason: provider === 'ghl' ? 'no_contact_on_appointment' : 'no_match_keys', guestEmails: 0 };
  const guestEmails = keys.guest_email_hashes.length;
  if (provider === 'ghl') return { reason: keys.ghl_contact_id ? 'ghl_contact_not_a_lead' : 'no_contact_on_appointment', guestEmails };
  if (keys.utm_lead_ids.length > 0) return { reason: 'utm_lead_unknown', guestEmails };
  return { reason: keys.invitee_email_hash ? 'no_lead_with_invitee_email' : 'no_match_keys', guestEmails };
}

export function unmatchedAppointmentsRoute(deps: { readonly db: Kysely<WorkspacesDatabase>; readonly sendError: WebhookSendError }): FastifyPluginAsync {
  // Same database: the projections' read models are views in its public schema.
  const db = deps.db as unknown as Kysely<ProjectionsDatabase>;
  return async (app) => {
    app.get('/v1/workspaces/:ws/appointments', { schema: { params: Params, querystring: Query } }, async (request: FastifyRequest, reply: FastifyReply) => {
      const { ws } = request.params as z.infer<typeof Params>;
      const q = request.query as z.infer<typeof Query>;
      const page = await listUnmatchedAppointments(db, ws, { ...(q.limit !== undefined ? { limit: q.limit } : {}), cursor: q.cursor ?? null });
      if (!page.ok) return deps.sendError(reply, 'VALIDATION_FAILED', 'The cursor is not valid', [{ path: 'cursor', code: page.code }]);
      const ids = page.value.items.map((i) => i.providerAppointmentId);
      const keys =
        ids.length === 0
          ? []
          : await db.selectFrom('unmatched_appointment_keys').selectAll().where('workspace_id', '=', ws).where('provider_appointment_id', 'in', ids).execute();
      const byId = new Map(keys.map((k) => [`${k.provider}:${k.provider_appointment_id}`, k]));
      const items = page.value.items.map((i) => ({ ...i, ...unmatchedReason(i.provider, byId.get(`${i.provider}:${i.providerAppointmentId}`)) }));
      return reply.send({ items, nextCursor: page.value.nextCursor });
    });
  };
}
