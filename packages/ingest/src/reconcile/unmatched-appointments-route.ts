/**
 * `GET /v1/workspaces/:ws/appointments?unmatched=true` (operator key of the workspace): bookings no
 * lead matched yet (identity drift: another email, an unknown GHL contact), keyset-paged from the
 * projections' `appointments` read model, each with the reason it stays unmatched, derived from
 * the match keys the booking carried (hashes and ids only, never an email). A booking whose email
 * (or GHL contact) is on two or more leads is `ambiguous`, with `candidateLeadIds` listing them,
 * until an operator links it (`candidateLeadIds` is [] otherwise). A lead feed update
 * that adds the email links them later without a new backfill (the identities projection).
 */
import type { SendError } from '@recon/http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { listUnmatchedAppointments, type ProjectionsDatabase } from '@recon/projections';
import type { WorkspacesDatabase } from '@recon/workspaces';
import { z } from 'zod';
import { asProvider, providerModule } from '../providers/registry';
import {
  leadIdsOf,
  type LeadIdentityRow,
  type ProviderUnmatchedSpec,
  type UnmatchedKeys,
} from '../providers/unmatched-spec';

/** The email matching's reasons, `ambiguous`, or a provider's own (its module's `unmatched` spec). */
export type UnmatchedReason =
  | 'ambiguous'
  | 'no_lead_with_invitee_email'
  | 'utm_lead_unknown'
  | 'no_match_keys'
  | string;

const Query = z.object({
  unmatched: z.literal('true'),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(500).optional(),
});
const Params = z.object({ ws: z.string().min(1).max(64) });

/** The answer, for the API reference; items are loose (the read model's fields pass through). */
const UnmatchedPage = z
  .object({
    items: z.array(
      z.looseObject({
        provider: z.string(),
        providerAppointmentId: z.string(),
        status: z.string(),
        startAt: z.string(),
        endAt: z.string(),
        reason: z.string(),
        guestEmails: z.number(),
        candidateLeadIds: z.array(z.string()),
      }),
    ),
    nextCursor: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        items: [
          {
            provider: 'calendly',
            providerAppointmentId: 'https://api.calendly.com/scheduled_events/EV1/invitees/INV1',
            leadId: null,
            matchedBy: null,
            status: 'booked',
            startAt: '2030-06-18T15:00:00.000Z',
            endAt: '2030-06-18T15:30:00.000Z',
            source: 'webhook',
            calendlyEventUri: 'https://api.calendly.com/scheduled_events/EV1',
            rescheduledFrom: null,
            rescheduledTo: null,
            firstObservedAt: '2030-06-01T10:00:00.000Z',
            lastObservedAt: '2030-06-01T10:00:00.000Z',
            reason: 'no_lead_with_invitee_email',
            guestEmails: 0,
            candidateLeadIds: [],
          },
        ],
        nextCursor: null,
      },
    ],
  });

/** The provider's own explanation of unmatched bookings, when it does not match by email. */
function ownUnmatched(provider: string): ProviderUnmatchedSpec | undefined {
  const known = asProvider(provider);
  return known === null ? undefined : providerModule(known).unmatched;
}

/**
 * The leads a booking's own identifier points at when it points at two or more of them (the best
 * rank only: primary email, then alternate email; a provider's own identifier by its module), else [].
 * Such a booking is kept unmatched (`ambiguous`) until an operator links it.
 */
export function ambiguousCandidates(
  provider: string,
  keys: UnmatchedKeys | undefined,
  leads: readonly LeadIdentityRow[],
): string[] {
  if (!keys) return [];
  const own = ownUnmatched(provider);
  let candidates: string[] = [];
  if (own !== undefined) {
    candidates = own.candidates(keys, leads);
  } else if (keys.invitee_email_hash !== null) {
    const hash = keys.invitee_email_hash;
    const primary = leadIdsOf(leads.filter((l) => l.email_hash === hash));
    candidates = primary.length > 0 ? primary : leadIdsOf(leads.filter((l) => l.alternate_email_hashes.includes(hash)));
  }
  return candidates.length >= 2 ? candidates : [];
}

export function unmatchedReason(
  provider: string,
  keys: UnmatchedKeys | undefined,
  candidates: readonly string[] = [],
): { reason: UnmatchedReason; guestEmails: number; candidateLeadIds?: readonly string[] } {
  const own = ownUnmatched(provider);
  if (!keys) return { reason: own?.reason(undefined) ?? 'no_match_keys', guestEmails: 0 };
  const guestEmails = keys.guest_email_hashes.length;
  if (candidates.length >= 2) return { reason: 'ambiguous', guestEmails, candidateLeadIds: candidates };
  if (own !== undefined) return { reason: own.reason(keys), guestEmails };
  if (keys.utm_lead_ids.length > 0) return { reason: 'utm_lead_unknown', guestEmails };
  return { reason: keys.invitee_email_hash ? 'no_lead_with_invitee_email' : 'no_match_keys', guestEmails };
}

export function unmatchedAppointmentsRoute(deps: {
  readonly db: Kysely<WorkspacesDatabase>;
  readonly sendError: SendError;
}): FastifyPluginAsync {
  // Same database: the projections' read models are views in its public schema.
  const db = deps.db as unknown as Kysely<ProjectionsDatabase>;
  return async (app) => {
    app.get(
      '/v1/workspaces/:ws/appointments',
      {
        schema: {
          summary: 'Bookings no lead matched yet, each with the reason (keyset paged; `unmatched=true` is required)',
          params: Params,
          querystring: Query,
          response: { 200: UnmatchedPage },
        },
      },
      async (request: FastifyRequest, reply: FastifyReply) => {
        const { ws } = request.params as z.infer<typeof Params>;
        const q = request.query as z.infer<typeof Query>;
        const page = await listUnmatchedAppointments(db, ws, {
          ...(q.limit !== undefined ? { limit: q.limit } : {}),
          cursor: q.cursor ?? null,
        });
        if (!page.ok)
          return deps.sendError(reply, 'VALIDATION_FAILED', 'The cursor is not valid', [
            { path: 'cursor', code: page.code },
          ]);
        const ids = page.value.items.map((i) => i.providerAppointmentId);
        const keys =
          ids.length === 0
            ? []
            : await db
                .selectFrom('unmatched_appointment_keys')
                .selectAll()
                .where('workspace_id', '=', ws)
                .where('provider_appointment_id', 'in', ids)
                .execute();
        const byId = new Map(keys.map((k) => [`${k.provider}:${k.provider_appointment_id}`, k]));
        const hashes = [...new Set(keys.flatMap((k) => (k.invitee_email_hash === null ? [] : [k.invitee_email_hash])))];
        const contacts = [...new Set(keys.flatMap((k) => (k.ghl_contact_id === null ? [] : [k.ghl_contact_id])))];
        const leads =
          hashes.length === 0 && contacts.length === 0
            ? []
            : (
                await sql<LeadIdentityRow>`
                SELECT lead_id, email_hash, alternate_email_hashes, ghl_contact_id FROM lead_identities
                WHERE workspace_id = ${ws} AND (email_hash = ANY(${hashes}::text[]) OR alternate_email_hashes && ${hashes}::text[] OR ghl_contact_id = ANY(${contacts}::text[]))`.execute(
                  db,
                )
              ).rows;
        const items = page.value.items.map((i) => {
          const k = byId.get(`${i.provider}:${i.providerAppointmentId}`);
          const reason = unmatchedReason(i.provider, k, ambiguousCandidates(i.provider, k, leads));
          return { ...i, ...reason, candidateLeadIds: reason.candidateLeadIds ?? [] };
        });
        return reply.send({ items, nextCursor: page.value.nextCursor });
      },
    );
  };
}
