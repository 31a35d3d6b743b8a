/**
 * zod schemas for the GoHighLevel payloads recon reads: contact appointments (GET
 * /contacts/{id}/appointments), calendar events (GET /calendars/events, …/appointments/{id}),
 * location (GET /locations/{id}, for its timezone) and Appointment* webhooks. GHL marks almost
 * nothing required and real payloads miss documented fields (../shared/providers/ghl.md §6), so
 * only what an observation cannot exist without is required. Free-text fields (title, notes,
 * address) are not declared and therefore stripped: they may hold PII.
 */
import { z } from 'zod';

/** A GHL time: naive `YYYY-MM-DD HH:mm:ss` (contact endpoint) or ISO-8601 with offset. Checked when mapped. */
export const GhlTime = z.string().min(10).max(40);

const Id = z.string().min(1).max(200);

/** Fields shared by every GHL appointment shape. */
const appointmentCore = {
  id: Id,
  calendarId: z.string().nullish(),
  locationId: z.string().nullish(),
  contactId: z.string().max(200).nullish(),
  groupId: z.string().nullish(),
  appointmentStatus: z.string().max(50).nullish(),
  assignedUserId: z.string().nullish(),
  startTime: GhlTime,
  endTime: GhlTime,
  dateAdded: GhlTime.nullish(),
  dateUpdated: GhlTime.nullish(),
};

/** `GetEventSchema` of the contact endpoint (times naive, in the location's timezone). */
export const GhlContactAppointment = z.object({
  ...appointmentCore,
  /** Undocumented beyond the example `booked`; recon keys off `appointmentStatus`. */
  status: z.string().max(50).nullish(),
  deleted: z.boolean().nullish(),
});
export type GhlContactAppointment = z.infer<typeof GhlContactAppointment>;

export const GhlContactAppointmentsResponse = z.object({
  events: z.array(GhlContactAppointment),
  traceId: z.string().nullish(),
});
export type GhlContactAppointmentsResponse = z.infer<typeof GhlContactAppointmentsResponse>;

/** `CalendarEventDTO` (times ISO-8601 with offset). */
export const GhlCalendarEvent = z.object({
  ...appointmentCore,
  isRecurring: z.boolean().nullish(),
  masterEventId: z.string().nullish(),
});
export type GhlCalendarEvent = z.infer<typeof GhlCalendarEvent>;

export const GhlCalendarEventsResponse = z.object({
  events: z.array(GhlCalendarEvent),
  traceId: z.string().nullish(),
});
export type GhlCalendarEventsResponse = z.infer<typeof GhlCalendarEventsResponse>;

export const GhlCalendarEventResponse = z.object({ event: GhlCalendarEvent, traceId: z.string().nullish() });
export type GhlCalendarEventResponse = z.infer<typeof GhlCalendarEventResponse>;

export const GhlLocationResponse = z.object({
  location: z.object({ id: z.string().nullish(), timezone: z.string().min(1).max(100) }),
});
export type GhlLocationResponse = z.infer<typeof GhlLocationResponse>;

export const GHL_APPOINTMENT_WEBHOOK_TYPES = ['AppointmentCreate', 'AppointmentUpdate', 'AppointmentDelete'] as const;
export const GhlAppointmentWebhookType = z.enum(GHL_APPOINTMENT_WEBHOOK_TYPES);
export type GhlAppointmentWebhookType = z.infer<typeof GhlAppointmentWebhookType>;

export const GhlWebhookEnvelope = z.object({ type: z.string().min(1).max(100) });

/** An Appointment* delivery as read, before its location is required (see `GhlAppointmentWebhook`). */
export const GhlAppointmentWebhookBody = z.object({
  type: GhlAppointmentWebhookType,
  locationId: z.string().max(200).nullish(),
  appointment: z.object({ ...appointmentCore, source: z.string().nullish() }),
  timestamp: z.iso.datetime({ offset: true }).nullish(),
  webhookId: z.string().max(200).nullish(),
});

/**
 * An Appointment* delivery recon can ingest: `locationId` is required. GHL signs every delivery
 * with one global key, so the location is the only thing tying a delivery to a workspace.
 */
export const GhlAppointmentWebhook = GhlAppointmentWebhookBody.extend({ locationId: z.string().min(1).max(200) });
export type GhlAppointmentWebhook = z.infer<typeof GhlAppointmentWebhook>;
