/**
 * The lead lifecycle: everything recon knows about one lead, folded from the lead's stream and
 * the events of the appointments linked to it. Plain JSON on purpose (records, arrays, strings;
 * no Map/Set/Date/bigint) so the projection can keep it in one row and fold on incrementally.
 */
import type { AppointmentLifecycleStatus } from '../events/appointment-events';
import type { ProviderCheckOutcome } from '../events/lead-events';
import type { Instant, MessageDirection, Provider } from '../events/primitives';

/** Time-independent booking state (what the events say). `completed` by elapsed time is added by `bookingStateAt`. */
export type BookingState = 'unknown' | 'not_booked' | 'booked' | 'canceled' | 'completed' | 'no_show';

export const BOOKING_STATES: readonly BookingState[] = [
  'unknown',
  'not_booked',
  'booked',
  'canceled',
  'completed',
  'no_show',
];

export interface LeadAppointment {
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly calendlyEventUri: string | null;
  readonly status: AppointmentLifecycleStatus;
  readonly startAt: Instant;
  readonly endAt: Instant;
  readonly rescheduledFrom: string | null;
  readonly rescheduledTo: string | null;
  readonly providerUpdatedAt: Instant | null;
  /** When recon learnt the current status (observedAt / linkedAt of the event that set it). */
  readonly statusSince: Instant;
}

export interface ProviderCheck {
  readonly checkedAt: Instant;
  readonly outcome: ProviderCheckOutcome;
}

/** A check limited to meetings starting in a range (a date-range backfill): what it saw there. */
export interface RangedProviderCheck extends ProviderCheck {
  readonly range: { readonly from: Instant | null; readonly to: Instant | null };
}

/**
 * One entry per provider, keyed by provider name: absent until that provider was checked for the
 * lead (folds stored before the record was keyed may hold null instead: read both as "never").
 * A new provider needs no change here.
 */
export type PerProvider<T> = { readonly [P in Provider]?: T | null };

/** The entry of `provider` in a per-provider record, or null (own-property read). */
export function forProvider<T>(record: PerProvider<T> | undefined, provider: Provider): T | null {
  return record !== undefined && Object.hasOwn(record, provider) ? (record[provider] ?? null) : null;
}

export interface LeadCounts {
  /** Distinct bookings (a Calendly reschedule's new invitee is the same meeting moved, not a new booking). */
  readonly bookings: number;
  readonly cancellations: number;
  readonly reschedules: number;
  /** No-shows currently marked (a retraction takes one back). */
  readonly noShows: number;
}

export interface LeadLifecycle {
  readonly workspaceId: string | null;
  readonly leadId: string | null;
  readonly registered: boolean;
  readonly contact: {
    readonly emailHash: string | null;
    readonly alternateEmailHashes: readonly string[];
    readonly ghlContactId: string | null;
  };
  readonly sentiment: { readonly label: string; readonly classifiedAt: Instant } | null;
  readonly lastInboundAt: Instant | null;
  readonly lastMessageDirection: MessageDirection | null;
  /** Last provider check per provider (the reconciliation watermark), null until checked. */
  readonly checks: PerProvider<ProviderCheck>;
  /** Last *successful* check per provider: a later failed check does not unlearn what it found. */
  readonly lastSuccessfulChecks: PerProvider<ProviderCheck>;
  /** Last range-limited check per provider (absent until one happened): never a verdict. */
  readonly rangedChecks?: PerProvider<RangedProviderCheck>;
  /** Keyed by providerAppointmentId (GHL ids and Calendly URIs never collide). */
  readonly appointments: { readonly [providerAppointmentId: string]: LeadAppointment };
  readonly counts: LeadCounts;
  /** Derived on every evolve from appointments and checks; time-independent. */
  readonly bookingState: BookingState;
  /** When `bookingState` last changed (time of the event that changed it); null while unknown. */
  readonly bookingStateSince: Instant | null;
  /** The appointment that decides `bookingState`, or null. */
  readonly currentAppointmentId: string | null;
  /** Review tasks an operator resolved (FollowUpTaskResolved), oldest first. */
  readonly resolvedTaskIds: readonly string[];
  /**
   * Current occurrence per (provider, appointment, task kind), see `follow-up/task-occurrences`.
   * Optional: folds stored before occurrences existed lack it (read as all 0).
   */
  readonly taskOccurrences?: Readonly<Record<string, { readonly occurrence: number; readonly opened: boolean }>>;
  /** The last booked label found unverified past the SLA (`LeadBookedLabelUnverified`); absent until one. */
  readonly labelUnverified?: { readonly labelClassifiedAt: Instant; readonly checkedAt: Instant };
}

export function initialLeadLifecycle(): LeadLifecycle {
  return {
    workspaceId: null,
    leadId: null,
    registered: false,
    contact: { emailHash: null, alternateEmailHashes: [], ghlContactId: null },
    sentiment: null,
    lastInboundAt: null,
    lastMessageDirection: null,
    checks: {},
    lastSuccessfulChecks: {},
    appointments: {},
    counts: { bookings: 0, cancellations: 0, reschedules: 0, noShows: 0 },
    bookingState: 'unknown',
    bookingStateSince: null,
    currentAppointmentId: null,
    resolvedTaskIds: [],
  };
}

/** Own-property lookup: appointment ids are provider strings and may spell `constructor`. */
export function appointmentById(state: Pick<LeadLifecycle, 'appointments'>, id: string): LeadAppointment | null {
  return Object.hasOwn(state.appointments, id) ? (state.appointments[id] ?? null) : null;
}

export function currentAppointment(state: LeadLifecycle): LeadAppointment | null {
  return state.currentAppointmentId === null ? null : appointmentById(state, state.currentAppointmentId);
}
