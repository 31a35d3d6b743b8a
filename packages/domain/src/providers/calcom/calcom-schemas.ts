/**
 * zod schemas for the Cal.com payloads recon reads: webhook deliveries (version 2021-10-20: the
 * `{triggerEvent, createdAt, payload}` envelope, the no-show payload, the flat `MEETING_*` rows) and
 * the API v2 `GET /v2/bookings` response (`cal-api-version: 2024-08-13`). Field facts and sources:
 * docs/providers/calcom.md. Unknown keys are tolerated (stripped) and every key recon does not need
 * is optional, so a new Cal.com field never breaks ingestion.
 */
import { z } from 'zod';

/** Cal.com times: `…Z`, `….000Z` or `…+00:00` depending on the trigger (any ISO-8601 offset). */
export const CalcomTimestamp = z.iso.datetime({ offset: true });

const Uid = z.string().min(1).max(200);
const Email = z.string().max(320);

/** Triggers recon turns into appointment facts; every other trigger is acknowledged and ignored. */
export const CALCOM_BOOKING_TRIGGERS = ['BOOKING_CREATED', 'BOOKING_RESCHEDULED', 'BOOKING_CANCELLED'] as const;
export const CalcomBookingTrigger = z.enum(CALCOM_BOOKING_TRIGGERS);
export type CalcomBookingTrigger = z.infer<typeof CalcomBookingTrigger>;

export const CalcomWebhookAttendee = z.object({ email: Email, noShow: z.boolean().nullish() });

/** `responses.<field>`: `{label, value, isHidden}`; only `email` and `guests` are read. */
const CalcomResponses = z
  .object({
    email: z.object({ value: z.unknown() }).nullish(),
    guests: z.object({ value: z.unknown() }).nullish(),
  })
  .nullish();

const CalcomTracking = z.object({ utm_content: z.string().nullish(), utm_term: z.string().nullish() }).nullish();

/** `payload` of a booking trigger (created / rescheduled / cancelled). */
export const CalcomBookingPayload = z.object({
  uid: Uid,
  bookingId: z.number().int().nullish(),
  status: z.string().max(50).nullish(),
  startTime: CalcomTimestamp,
  endTime: CalcomTimestamp,
  attendees: z.array(CalcomWebhookAttendee).max(1000).nullish(),
  organizer: z.object({ email: Email.nullish() }).nullish(),
  responses: CalcomResponses,
  /** Not in the documented payload; read when present (newer instances store UTM per booking). */
  tracking: CalcomTracking,
  rescheduleUid: Uid.nullish(),
  rescheduleStartTime: CalcomTimestamp.nullish(),
  rescheduleEndTime: CalcomTimestamp.nullish(),
  cancelledBy: Email.nullish(),
  requestReschedule: z.boolean().nullish(),
  attendeeSeatId: z.string().max(200).nullish(),
});
export type CalcomBookingPayload = z.infer<typeof CalcomBookingPayload>;

/** The envelope every wrapped trigger shares; `payload` is validated per trigger. */
export const CalcomWebhookEnvelope = z.object({
  triggerEvent: z.string().min(1).max(100),
  createdAt: CalcomTimestamp.nullish(),
  payload: z.unknown().optional(),
});

export const CalcomBookingDelivery = z.object({
  triggerEvent: CalcomBookingTrigger,
  createdAt: CalcomTimestamp,
  payload: CalcomBookingPayload,
});
export type CalcomBookingDelivery = z.infer<typeof CalcomBookingDelivery>;

/** `BOOKING_NO_SHOW_UPDATED`: the attendees marked or unmarked (`message` is a UI string: not read). */
export const CalcomNoShowDelivery = z.object({
  triggerEvent: z.literal('BOOKING_NO_SHOW_UPDATED'),
  createdAt: CalcomTimestamp,
  payload: z.object({
    bookingUid: Uid,
    bookingId: z.number().int().nullish(),
    attendees: z.array(z.object({ email: Email, noShow: z.boolean() })).max(1000),
  }),
});
export type CalcomNoShowDelivery = z.infer<typeof CalcomNoShowDelivery>;

/** `MEETING_STARTED` / `MEETING_ENDED`: a flat booking row snapshot (no `payload` wrapper). */
export const CalcomMeetingDelivery = z.object({
  triggerEvent: z.enum(['MEETING_STARTED', 'MEETING_ENDED']),
  uid: Uid,
  startTime: CalcomTimestamp,
  endTime: CalcomTimestamp,
  status: z.string().max(50).nullish(),
});
export type CalcomMeetingDelivery = z.infer<typeof CalcomMeetingDelivery>;

/** API v2 booking (`BookingOutput_2024_08_13`; seated items carry `seatUid` on attendees). */
export const CalcomApiBooking = z.object({
  id: z.number().int().nullish(),
  uid: Uid,
  status: z.string().min(1).max(50),
  start: CalcomTimestamp,
  end: CalcomTimestamp,
  updatedAt: CalcomTimestamp.nullish(),
  createdAt: CalcomTimestamp.nullish(),
  rescheduledFromUid: Uid.nullish(),
  rescheduledToUid: Uid.nullish(),
  cancelledByEmail: Email.nullish(),
  hosts: z
    .array(z.object({ email: Email.nullish() }))
    .max(100)
    .nullish(),
  attendees: z
    .array(z.object({ email: Email, absent: z.boolean().nullish() }))
    .max(1000)
    .nullish(),
  guests: z.array(Email).max(1000).nullish(),
  bookingFieldsResponses: z.object({ email: z.unknown(), guests: z.unknown() }).partial().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type CalcomApiBooking = z.infer<typeof CalcomApiBooking>;

export const CalcomPagination = z.object({
  returnedItems: z.number().int().nullish(),
  totalItems: z.number().int().nullish(),
  itemsPerPage: z.number().int().nullish(),
  remainingItems: z.number().int().nullish(),
  currentPage: z.number().int().nullish(),
  totalPages: z.number().int().nullish(),
  hasNextPage: z.boolean(),
  hasPreviousPage: z.boolean().nullish(),
});
export type CalcomPagination = z.infer<typeof CalcomPagination>;

export const CalcomBookingList = z.object({
  status: z.literal('success'),
  data: z.array(CalcomApiBooking),
  pagination: CalcomPagination,
});
export type CalcomBookingList = z.infer<typeof CalcomBookingList>;
