/**
 * zod schemas for the Calendly payloads recon reads: webhook deliveries (invitee events), the
 * List Events / List Event Invitees / Get Event responses and their pagination object. Field facts:
 * ../shared/providers/calendly.md. Unknown keys are tolerated (stripped); only what recon uses is
 * required, so a new Calendly field never breaks ingestion.
 */
import { z } from 'zod';

/** Calendly timestamps: ISO-8601 with `Z` (microseconds) or an offset. */
export const CalendlyTimestamp = z.iso.datetime({ offset: true });

const Uri = z.string().min(1).max(500);

export const CalendlyCancellation = z.object({
  canceled_by: z.string().nullish(),
  reason: z.string().nullish(),
  canceler_type: z.enum(['host', 'invitee']).nullish(),
  created_at: CalendlyTimestamp.nullish(),
});
export type CalendlyCancellation = z.infer<typeof CalendlyCancellation>;

export const CalendlyTracking = z.object({
  utm_campaign: z.string().nullish(),
  utm_source: z.string().nullish(),
  utm_medium: z.string().nullish(),
  utm_content: z.string().nullish(),
  utm_term: z.string().nullish(),
  salesforce_uuid: z.string().nullish(),
});

export const CalendlyEventGuest = z.object({ email: z.string() });

/** A scheduled event (REST `resource`, list item, or `payload.scheduled_event` in webhooks). */
export const CalendlyScheduledEvent = z.object({
  uri: Uri,
  name: z.string().nullish(),
  status: z.enum(['active', 'canceled']),
  start_time: CalendlyTimestamp,
  end_time: CalendlyTimestamp,
  event_type: z.string().nullish(),
  created_at: CalendlyTimestamp.nullish(),
  updated_at: CalendlyTimestamp.nullish(),
  event_guests: z.array(CalendlyEventGuest).nullish(),
  cancellation: CalendlyCancellation.nullish(),
});
export type CalendlyScheduledEvent = z.infer<typeof CalendlyScheduledEvent>;

/** An invitee: one person's booking of one event. Its `uri` is recon's providerAppointmentId. */
export const CalendlyInvitee = z.object({
  uri: Uri,
  email: z.string().max(320),
  status: z.enum(['active', 'canceled']),
  event: Uri,
  created_at: CalendlyTimestamp,
  updated_at: CalendlyTimestamp,
  rescheduled: z.boolean().nullish(),
  old_invitee: Uri.nullish(),
  new_invitee: Uri.nullish(),
  cancellation: CalendlyCancellation.nullish(),
  tracking: CalendlyTracking.nullish(),
  no_show: z.object({ uri: z.string().nullish(), created_at: CalendlyTimestamp.nullish() }).nullish(),
});
export type CalendlyInvitee = z.infer<typeof CalendlyInvitee>;

/** Pagination: every key optional; follow `next_page_token` until null. */
export const CalendlyPagination = z.object({
  count: z.number().int().nullish(),
  next_page: z.string().nullish(),
  previous_page: z.string().nullish(),
  next_page_token: z.string().nullish(),
  previous_page_token: z.string().nullish(),
});
export type CalendlyPagination = z.infer<typeof CalendlyPagination>;

export const CalendlyScheduledEventList = z.object({
  collection: z.array(CalendlyScheduledEvent),
  pagination: CalendlyPagination.nullish(),
});
export type CalendlyScheduledEventList = z.infer<typeof CalendlyScheduledEventList>;

export const CalendlyInviteeList = z.object({
  collection: z.array(CalendlyInvitee),
  pagination: CalendlyPagination.nullish(),
});
export type CalendlyInviteeList = z.infer<typeof CalendlyInviteeList>;

export const CalendlyScheduledEventResource = z.object({ resource: CalendlyScheduledEvent });
export type CalendlyScheduledEventResource = z.infer<typeof CalendlyScheduledEventResource>;

/** `GET /scheduled_events/{event_uuid}/invitees/{invitee_uuid}` (calendly.md §5.5). */
export const CalendlyInviteeResource = z.object({ resource: CalendlyInvitee });
export type CalendlyInviteeResource = z.infer<typeof CalendlyInviteeResource>;

export const CALENDLY_INVITEE_EVENTS = [
  'invitee.created',
  'invitee.canceled',
  'invitee_no_show.created',
  'invitee_no_show.deleted',
] as const;
export const CalendlyInviteeEventName = z.enum(CALENDLY_INVITEE_EVENTS);
export type CalendlyInviteeEventName = z.infer<typeof CalendlyInviteeEventName>;

/** Webhook envelope; `payload` is validated per event name. */
export const CalendlyWebhookEnvelope = z.object({
  event: z.string().min(1).max(100),
  created_at: CalendlyTimestamp,
  created_by: z.string().nullish(),
  payload: z.unknown(),
});

export const CalendlyInviteeWebhookPayload = CalendlyInvitee.extend({ scheduled_event: CalendlyScheduledEvent });
export type CalendlyInviteeWebhookPayload = z.infer<typeof CalendlyInviteeWebhookPayload>;

export const CalendlyInviteeDelivery = z.object({
  event: CalendlyInviteeEventName,
  created_at: CalendlyTimestamp,
  created_by: z.string().nullish(),
  payload: CalendlyInviteeWebhookPayload,
});
export type CalendlyInviteeDelivery = z.infer<typeof CalendlyInviteeDelivery>;
