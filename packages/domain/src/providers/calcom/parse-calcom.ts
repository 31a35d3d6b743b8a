/**
 * Parsers for Cal.com payloads: unknown input → typed value or the provider's payload code. Never
 * throw; issues carry paths and codes, never values (payloads hold emails and names).
 * Webhook bodies are sorted by trigger: booking facts, attendance marks, meeting rows (acknowledged,
 * not evidence) and everything else (PING, BOOKING_REQUESTED, …: acknowledged and ignored).
 */
import { type ProviderResult, parseWithCode } from '../provider-parse-result';
import { CALCOM_PAYLOAD_INVALID, type CalcomFailureCode } from './calcom-observation';
import {
  CalcomBookingDelivery,
  CalcomBookingList,
  CalcomBookingTrigger,
  CalcomMeetingDelivery,
  CalcomNoShowDelivery,
  CalcomWebhookEnvelope,
} from './calcom-schemas';

export type CalcomWebhook =
  | { readonly kind: 'booking'; readonly delivery: CalcomBookingDelivery }
  | { readonly kind: 'no_show'; readonly delivery: CalcomNoShowDelivery }
  | { readonly kind: 'meeting'; readonly delivery: CalcomMeetingDelivery }
  | { readonly kind: 'ignored'; readonly event: string };

/** Parses a verified Cal.com webhook body (already JSON-decoded). */
export function parseCalcomWebhook(input: unknown): ProviderResult<CalcomWebhook, CalcomFailureCode> {
  const envelope = parseWithCode(CalcomWebhookEnvelope, input, CALCOM_PAYLOAD_INVALID);
  if (!envelope.ok) return envelope;
  const event = envelope.value.triggerEvent;
  if (CalcomBookingTrigger.safeParse(event).success) {
    const delivery = parseWithCode(CalcomBookingDelivery, input, CALCOM_PAYLOAD_INVALID);
    return delivery.ok ? { ok: true, value: { kind: 'booking', delivery: delivery.value } } : delivery;
  }
  if (event === 'BOOKING_NO_SHOW_UPDATED') {
    const delivery = parseWithCode(CalcomNoShowDelivery, input, CALCOM_PAYLOAD_INVALID);
    return delivery.ok ? { ok: true, value: { kind: 'no_show', delivery: delivery.value } } : delivery;
  }
  if (event === 'MEETING_STARTED' || event === 'MEETING_ENDED') {
    const delivery = parseWithCode(CalcomMeetingDelivery, input, CALCOM_PAYLOAD_INVALID);
    return delivery.ok ? { ok: true, value: { kind: 'meeting', delivery: delivery.value } } : delivery;
  }
  return { ok: true, value: { kind: 'ignored', event } };
}

/** Parses one `GET /v2/bookings` page (`cal-api-version: 2024-08-13`). */
export function parseCalcomBookingList(input: unknown): ProviderResult<CalcomBookingList, CalcomFailureCode> {
  return parseWithCode(CalcomBookingList, input, CALCOM_PAYLOAD_INVALID);
}
