/**
 * GHL appointments (contact endpoint, calendar events, Appointment* webhooks) →
 * `ObserveProviderAppointment`. The appointment id is the providerAppointmentId; a reschedule is the
 * same id with new times (the decider compares). Status comes from `appointmentStatus` (falling
 * back to the contact endpoint's `status` only when it is absent). `AppointmentDelete` (or a
 * `deleted: true` row) → `deleted: true` with status canceled. Naive times are read in the
 * location's timezone, passed in by the caller (GET /locations/{id} → location.timezone).
 * Provider update time: `dateUpdated`; for a delete the later of that and the webhook `timestamp`,
 * since GHL's delete payload carries the appointment's last `dateUpdated`, not the deletion time.
 */
import type { AppointmentStatus } from '../../events/appointment-events';
import type { GhlAppointmentWebhook, GhlCalendarEvent, GhlContactAppointment } from './ghl-schemas';
import { mapGhlAppointmentStatus } from './map-ghl-status';
import {
  type MappedObservation,
  type ObservationContext,
  finishObservation,
  laterInstant,
} from '../observation-context';
import type { ProviderResult } from '../provider-parse-result';
import type { GhlFailureCode, GhlMatchHints } from './ghl-observation';
import { toUtcInstant } from '../provider-time';

type Result = ProviderResult<MappedObservation<GhlMatchHints>, GhlFailureCode>;

export interface GhlObservationContext extends ObservationContext {
  /** IANA zone of the location; needed for naive times (contact endpoint), else may be null. */
  readonly timeZone: string | null;
}

interface GhlAppointmentLike {
  readonly id: string;
  readonly contactId?: string | null | undefined;
  readonly locationId?: string | null | undefined;
  readonly appointmentStatus?: string | null | undefined;
  readonly startTime: string;
  readonly endTime: string;
  readonly dateUpdated?: string | null | undefined;
}

function mapAppointment(
  appt: GhlAppointmentLike,
  opts: { fallbackStatus: string | null; deleted: boolean; deletedAt: string | null; locationId: string | null },
  ctx: GhlObservationContext,
): Result {
  let status: AppointmentStatus = 'canceled';
  if (!opts.deleted) {
    const mapped = mapGhlAppointmentStatus(appt.appointmentStatus ?? opts.fallbackStatus);
    if (!mapped.ok) return mapped;
    status = mapped.value;
  }
  const start = toUtcInstant(appt.startTime, ctx.timeZone);
  if (!start.ok) return { ...start, issues: start.issues.map((i) => `startTime: ${i}`) };
  const end = toUtcInstant(appt.endTime, ctx.timeZone);
  if (!end.ok) return { ...end, issues: end.issues.map((i) => `endTime: ${i}`) };
  let updatedAt: string | null = null;
  if (appt.dateUpdated) {
    const u = toUtcInstant(appt.dateUpdated, ctx.timeZone);
    if (!u.ok) return { ...u, issues: u.issues.map((i) => `dateUpdated: ${i}`) };
    updatedAt = u.value;
  }
  if (opts.deleted) updatedAt = laterInstant(updatedAt, opts.deletedAt);
  return finishObservation(
    {
      provider: 'ghl',
      providerAppointmentId: appt.id,
      calendlyEventUri: null,
      status,
      startAt: start.value,
      endAt: end.value,
      providerUpdatedAt: updatedAt,
      rescheduledFrom: null,
      rescheduledTo: null,
      canceledBy: null,
      deleted: opts.deleted,
    },
    { provider: 'ghl', contactId: appt.contactId ?? null, locationId: appt.locationId ?? opts.locationId },
    ctx,
    'GHL_PAYLOAD_INVALID',
  );
}

/** One row of GET /contacts/{id}/appointments (naive times: pass the location's timeZone). */
export function mapGhlContactAppointment(appt: GhlContactAppointment, ctx: GhlObservationContext): Result {
  const deleted = appt.deleted === true;
  return mapAppointment(appt, { fallbackStatus: appt.status ?? null, deleted, deletedAt: null, locationId: null }, ctx);
}

/** One CalendarEventDTO (GET /calendars/events or …/appointments/{id}). */
export function mapGhlCalendarEvent(event: GhlCalendarEvent, ctx: GhlObservationContext): Result {
  return mapAppointment(event, { fallbackStatus: null, deleted: false, deletedAt: null, locationId: null }, ctx);
}

/** A parsed AppointmentCreate / AppointmentUpdate / AppointmentDelete webhook. */
export function mapGhlWebhook(webhook: GhlAppointmentWebhook, ctx: GhlObservationContext): Result {
  const deleted = webhook.type === 'AppointmentDelete';
  return mapAppointment(
    webhook.appointment,
    { fallbackStatus: null, deleted, deletedAt: webhook.timestamp ?? null, locationId: webhook.locationId },
    ctx,
  );
}
