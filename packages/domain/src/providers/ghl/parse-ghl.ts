/**
 * Parsers for GHL payloads: unknown input → typed value or `GHL_PAYLOAD_INVALID` (an appointment
 * webhook without `locationId`: `GHL_LOCATION_MISSING`). Never throw; issues carry paths and
 * codes, never values.
 */
import {
  type GhlAppointmentWebhook,
  GhlAppointmentWebhookBody,
  GhlAppointmentWebhookType,
  GhlCalendarEventResponse,
  GhlCalendarEventsResponse,
  GhlContactAppointmentsResponse,
  GhlLocationResponse,
  GhlWebhookEnvelope,
} from './ghl-schemas';
import { type ProviderResult, parseWithCode } from '../provider-parse-result';
import type { GhlFailureCode } from './ghl-observation';

const CODE = 'GHL_PAYLOAD_INVALID' as const;

/** A verified GHL webhook body: an appointment event, or another type recon acknowledges and ignores. */
export type GhlWebhook =
  | { readonly kind: 'appointment'; readonly webhook: GhlAppointmentWebhook }
  | { readonly kind: 'ignored'; readonly type: string };

export function parseGhlWebhook(input: unknown): ProviderResult<GhlWebhook, GhlFailureCode> {
  const envelope = parseWithCode(GhlWebhookEnvelope, input, CODE);
  if (!envelope.ok) return envelope;
  if (!GhlAppointmentWebhookType.safeParse(envelope.value.type).success) {
    return { ok: true, value: { kind: 'ignored', type: envelope.value.type } };
  }
  const webhook = parseWithCode(GhlAppointmentWebhookBody, input, CODE);
  if (!webhook.ok) return webhook;
  const { locationId } = webhook.value;
  if (locationId == null || locationId === '')
    return { ok: false, code: 'GHL_LOCATION_MISSING', issues: ['locationId: required'] };
  return { ok: true, value: { kind: 'appointment', webhook: { ...webhook.value, locationId } } };
}

export function parseGhlContactAppointments(
  input: unknown,
): ProviderResult<GhlContactAppointmentsResponse, GhlFailureCode> {
  return parseWithCode(GhlContactAppointmentsResponse, input, CODE);
}

export function parseGhlCalendarEvents(input: unknown): ProviderResult<GhlCalendarEventsResponse, GhlFailureCode> {
  return parseWithCode(GhlCalendarEventsResponse, input, CODE);
}

export function parseGhlCalendarEvent(input: unknown): ProviderResult<GhlCalendarEventResponse, GhlFailureCode> {
  return parseWithCode(GhlCalendarEventResponse, input, CODE);
}

export function parseGhlLocation(input: unknown): ProviderResult<GhlLocationResponse, GhlFailureCode> {
  return parseWithCode(GhlLocationResponse, input, CODE);
}
