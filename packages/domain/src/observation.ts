/**
 * The command a provider fact becomes: "the provider says this appointment is now like so".
 * Provider mapping produces it; the appointment decider turns it into events (or none).
 */
import { z } from 'zod';
import { AppointmentStatus, MatchedBy } from './events/appointment-events';
import { Instant, LeadId, ObservationSource, Provider, WorkspaceId } from './events/primitives';

export const ObserveProviderAppointment = z.object({
  type: z.literal('ObserveProviderAppointment'),
  workspaceId: WorkspaceId,
  /** Lead matched by the caller (ingest) or null when unmatched. */
  leadId: LeadId.nullable(),
  provider: Provider,
  providerAppointmentId: z.string().min(1).max(500),
  calendlyEventUri: z.string().max(500).nullable(),
  status: AppointmentStatus,
  startAt: Instant,
  endAt: Instant,
  /** Provider's update time of this fact; null when the provider gives none. */
  providerUpdatedAt: Instant.nullable(),
  /** Calendly new invitee: the old invitee it replaces. */
  rescheduledFrom: z.string().max(500).nullable(),
  /** Calendly old invitee canceled by a reschedule: the new invitee. Such an observation is a reschedule, not a cancellation. */
  rescheduledTo: z.string().max(500).nullable(),
  canceledBy: z.enum(['host', 'invitee']).nullable(),
  /** GHL AppointmentDelete: the appointment no longer exists at the provider. */
  deleted: z.boolean(),
  source: ObservationSource,
  observedAt: Instant,
  /**
   * How the caller matched `leadId` (recorded when this observation links an appointment that was
   * unmatched so far). Optional; when absent such a link is recorded as `lead_id`.
   */
  matchedBy: MatchedBy.optional(),
});
export type ObserveProviderAppointment = z.infer<typeof ObserveProviderAppointment>;
