/**
 * Linking an unmatched appointment to a lead (the identity process manager or an operator found
 * whose it is). Idempotent: linking to the lead it already has decides nothing. Re-linking to a
 * different lead is refused as a value: the lead projections route by the link and would
 * otherwise keep the appointment on both leads.
 */
import { z } from 'zod';
import type { AppointmentLinkedToLead } from '../events/appointment-events';
import { MatchedBy } from '../events/appointment-events';
import { Instant, LeadId } from '../events/primitives';
import { currentFacts, type AppointmentState } from './appointment-state';

export const LinkAppointmentToLead = z.object({
  type: z.literal('LinkAppointmentToLead'),
  leadId: LeadId,
  matchedBy: MatchedBy,
  linkedAt: Instant,
});
export type LinkAppointmentToLead = z.infer<typeof LinkAppointmentToLead>;

export type LinkAppointmentResult =
  | { readonly ok: true; readonly value: AppointmentLinkedToLead[] }
  | { readonly ok: false; readonly code: 'APPOINTMENT_NOT_FOUND' | 'APPOINTMENT_LINKED_TO_OTHER_LEAD' };

export function decideLinkAppointment(command: LinkAppointmentToLead, state: AppointmentState): LinkAppointmentResult {
  if (state.status === 'absent') return { ok: false, code: 'APPOINTMENT_NOT_FOUND' };
  if (state.leadId === command.leadId) return { ok: true, value: [] };
  if (state.leadId !== null) return { ok: false, code: 'APPOINTMENT_LINKED_TO_OTHER_LEAD' };
  return {
    ok: true,
    value: [
      {
        type: 'AppointmentLinkedToLead',
        data: {
          ...currentFacts(state, state.source, command.linkedAt),
          leadId: command.leadId,
          matchedBy: command.matchedBy,
          linkedAt: command.linkedAt,
          current: { status: state.status, rescheduledFrom: state.rescheduledFrom, rescheduledTo: state.rescheduledTo },
        },
      },
    ],
  };
}
