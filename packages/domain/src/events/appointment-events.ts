/**
 * Events of an appointment's stream (`appointment-…`): provider evidence about one booking.
 * Every event repeats the appointment's identity and current times so a reader needs no join.
 */
import { z } from 'zod';
import { EmailHash, Instant, LeadId, ObservationSource, Provider, WorkspaceId } from './primitives';

/** `invalid`: GHL marked the appointment invalid (spam, test, duplicate): neither a meeting nor a cancellation. */
export const AppointmentStatus = z.enum(['scheduled', 'canceled', 'showed', 'no_show', 'invalid']);
export type AppointmentStatus = z.infer<typeof AppointmentStatus>;

/**
 * An appointment's status as recon tracks it: the provider statuses plus `replaced` (a Calendly
 * invitee canceled by a reschedule; its successor carries the meeting on).
 */
export const AppointmentLifecycleStatus = z.enum(['scheduled', 'canceled', 'showed', 'no_show', 'replaced', 'invalid']);
export type AppointmentLifecycleStatus = z.infer<typeof AppointmentLifecycleStatus>;

/** How a booking found its lead; `reschedule`: inherited from the Calendly invitee it replaces. */
export const MatchedBy = z.enum([
  'email',
  'alternate_email',
  'event_guest',
  'utm',
  'ghl_contact',
  'lead_id',
  'manual',
  'reschedule',
]);
export type MatchedBy = z.infer<typeof MatchedBy>;

/** Fields every appointment event carries. */
export const appointmentFacts = {
  workspaceId: WorkspaceId,
  /** Null until the booking is matched to a lead (unmatched bookings are kept, never dropped). */
  leadId: LeadId.nullable(),
  provider: Provider,
  /** GHL appointment id, or the Calendly invitee URI. */
  providerAppointmentId: z.string().min(1).max(500),
  /** Calendly scheduled-event URI where known; null for GHL. */
  calendlyEventUri: z.string().max(500).nullable(),
  startAt: Instant,
  endAt: Instant,
  source: ObservationSource,
  observedAt: Instant,
  /** The provider's own version of the fact (updated_at / dateUpdated) where it gives one. */
  providerUpdatedAt: Instant.nullable(),
};

/**
 * Identifiers a booking can later be matched to its lead by, written by ingest on
 * `AppointmentBooked` so an unmatched booking is linked when the lead registers. Hashes and ids
 * only, never an email. Fields missing from an older event default to "nothing to match by".
 */
export const AppointmentMatchKeys = z.object({
  inviteeEmailHash: EmailHash.nullable().default(null),
  guestEmailHashes: z.array(EmailHash).max(50).default([]),
  ghlContactId: z.string().min(1).max(100).nullable().default(null),
  utmLeadIds: z.array(LeadId).max(10).default([]),
  /**
   * True when `utmLeadIds` came from verified booking tokens (every booking ingest writes since
   * signed tokens). Older events took them from `utm_content` as the booker wrote it: the
   * identities projection does not match by those (docs/security.md, booking tokens).
   */
  utmLeadIdsVerified: z.boolean().default(false),
});
export type AppointmentMatchKeys = z.infer<typeof AppointmentMatchKeys>;

export const AppointmentBooked = z.object({
  type: z.literal('AppointmentBooked'),
  data: z.object({
    ...appointmentFacts,
    /** Calendly: the invitee this booking replaced by a reschedule. */
    rescheduledFrom: z.string().max(500).nullable(),
    /**
     * Optional (the decider does not set it; ingest adds it). Malformed keys read as absent
     * ("cannot be matched later") instead of making the booking itself unreadable: a stored
     * booking must never turn into a poison event, nor vanish from ingest's stream fold.
     */
    matchKeys: AppointmentMatchKeys.optional().catch(undefined),
  }),
});
export type AppointmentBooked = z.infer<typeof AppointmentBooked>;

export const AppointmentRescheduled = z.object({
  type: z.literal('AppointmentRescheduled'),
  data: z.object({
    ...appointmentFacts,
    previousStartAt: Instant,
    previousEndAt: Instant,
    /** Calendly: the new invitee that replaces this one; null when the same id moved (GHL). */
    rescheduledTo: z.string().max(500).nullable(),
  }),
});
export type AppointmentRescheduled = z.infer<typeof AppointmentRescheduled>;

export const AppointmentCanceled = z.object({
  type: z.literal('AppointmentCanceled'),
  data: z.object({
    ...appointmentFacts,
    /** Who canceled, by role only (never a name or a reason text). */
    canceledBy: z.enum(['host', 'invitee']).nullable(),
    /** True when the provider hard-deleted the appointment (GHL AppointmentDelete). */
    deleted: z.boolean(),
  }),
});
export type AppointmentCanceled = z.infer<typeof AppointmentCanceled>;

export const AppointmentAttended = z.object({
  type: z.literal('AppointmentAttended'),
  data: z.object({ ...appointmentFacts }),
});
export type AppointmentAttended = z.infer<typeof AppointmentAttended>;

export const AppointmentNoShowMarked = z.object({
  type: z.literal('AppointmentNoShowMarked'),
  data: z.object({ ...appointmentFacts }),
});
export type AppointmentNoShowMarked = z.infer<typeof AppointmentNoShowMarked>;

export const AppointmentNoShowRetracted = z.object({
  type: z.literal('AppointmentNoShowRetracted'),
  data: z.object({ ...appointmentFacts }),
});
export type AppointmentNoShowRetracted = z.infer<typeof AppointmentNoShowRetracted>;

/**
 * The provider marked the appointment invalid (GHL `invalid`: spam, test, duplicate). Not evidence
 * of a meeting and not a cancellation: it opens no task and never counts as booked or canceled.
 */
export const AppointmentMarkedInvalid = z.object({
  type: z.literal('AppointmentMarkedInvalid'),
  data: z.object({ ...appointmentFacts }),
});
export type AppointmentMarkedInvalid = z.infer<typeof AppointmentMarkedInvalid>;

/**
 * The meeting ended and no attendance signal has arrived: recorded by recon's sweep (the scheduler,
 * a clock-driven fact) for workspaces with `attendanceReview` on; opens an amber
 * `meeting-outcome-unknown` review that closes once attendance is known. Changes nothing else:
 * the booking still reads `completed`, `assumed: true`. `observedAt` is when the sweep saw it.
 */
export const AppointmentOutcomeUnknown = z.object({
  type: z.literal('AppointmentOutcomeUnknown'),
  data: z.object({ ...appointmentFacts }),
});
export type AppointmentOutcomeUnknown = z.infer<typeof AppointmentOutcomeUnknown>;

/**
 * A Calendly (or Cal.com) reschedule whose new booking recon has still not seen: the old booking
 * was canceled with `rescheduled: true` naming its successor (`rescheduledTo`), the grace period
 * (`rescheduleGraceMinutes`) passed without the new booking's webhook, and the reconciler's fetch
 * of the successor by its URI found nothing (`failureCode`, e.g. PROVIDER_NOT_FOUND). Recorded on
 * the old booking's stream by the reconcile tick's sweep, once per successor; opens the red
 * `meeting-reschedule-unconfirmed` review (never a silent cancellation, never an open meeting
 * forever), which recon closes itself once the successor is seen. Changes nothing else: the lead
 * stays booked with grade `provider_pending`.
 */
export const AppointmentRescheduleUnconfirmed = z.object({
  type: z.literal('AppointmentRescheduleUnconfirmed'),
  data: z.object({
    ...appointmentFacts,
    rescheduledTo: z.string().min(1).max(500),
    failureCode: z.string().min(1).max(100),
  }),
});
export type AppointmentRescheduleUnconfirmed = z.infer<typeof AppointmentRescheduleUnconfirmed>;

export const AppointmentLinkedToLead = z.object({
  type: z.literal('AppointmentLinkedToLead'),
  data: z.object({
    ...appointmentFacts,
    leadId: LeadId,
    matchedBy: MatchedBy,
    linkedAt: Instant,
    /**
     * The appointment as its stream knew it when linked, so a lead's fold learns its status
     * without replaying the events written while it was unmatched. Optional: older or hand-made
     * link events may lack it (a reader then assumes `scheduled`).
     */
    current: z
      .object({
        status: AppointmentLifecycleStatus,
        rescheduledFrom: z.string().max(500).nullable(),
        rescheduledTo: z.string().max(500).nullable(),
      })
      .optional(),
  }),
});
export type AppointmentLinkedToLead = z.infer<typeof AppointmentLinkedToLead>;

/**
 * The provider held this version of the appointment, and it changes nothing current:
 * - `historical: false`: a newer version stating the same fact as the stream (GHL `dateUpdated`
 *   moved, nothing recon tracks did); recorded so the stream's version watermark moves with the
 *   provider and a late older, different version is recognised as history (closes A → B → A).
 * - `historical: true`: an older version arriving late (webhook retries, parallel deliveries). It
 *   is evidence of what happened before: times other than the current ones mean the meeting was
 *   rescheduled, a canceled status that it was canceled (and rebooked later).
 * The common facts (times, status) stay the appointment's current ones; `providerUpdatedAt` is the
 * version observed, the `observed*` fields say what that version held.
 */
export const AppointmentVersionObserved = z.object({
  type: z.literal('AppointmentVersionObserved'),
  data: z.object({
    ...appointmentFacts,
    historical: z.boolean(),
    observedStatus: AppointmentStatus,
    observedStartAt: Instant,
    observedEndAt: Instant,
  }),
});
export type AppointmentVersionObserved = z.infer<typeof AppointmentVersionObserved>;

export const AppointmentEvent = z.discriminatedUnion('type', [
  AppointmentBooked,
  AppointmentRescheduled,
  AppointmentCanceled,
  AppointmentAttended,
  AppointmentNoShowMarked,
  AppointmentNoShowRetracted,
  AppointmentLinkedToLead,
  AppointmentVersionObserved,
  AppointmentMarkedInvalid,
  AppointmentOutcomeUnknown,
  AppointmentRescheduleUnconfirmed,
]);
export type AppointmentEvent = z.infer<typeof AppointmentEvent>;
