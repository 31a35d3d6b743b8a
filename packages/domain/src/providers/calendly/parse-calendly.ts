/**
 * Parsers for Calendly payloads: unknown input → typed value or `CALENDLY_PAYLOAD_INVALID`.
 * Never throw; issues carry paths and codes, never values.
 */
import {
  CalendlyInviteeDelivery,
  CalendlyInviteeEventName,
  CalendlyInviteeList,
  CalendlyInviteeResource,
  CalendlyScheduledEventList,
  CalendlyScheduledEventResource,
  CalendlyWebhookEnvelope,
} from './calendly-schemas';
import { type ProviderResult, parseWithCode } from '../provider-parse-result';
import type { CalendlyFailureCode } from './calendly-observation';

const CODE = 'CALENDLY_PAYLOAD_INVALID' as const;

/** A verified webhook body: an invitee event recon handles, or another event it acknowledges and ignores. */
export type CalendlyWebhook =
  | { readonly kind: 'invitee'; readonly delivery: CalendlyInviteeDelivery }
  | { readonly kind: 'ignored'; readonly event: string };

/** Parses a Calendly webhook body (already JSON-decoded). Unsupported event names → `kind: 'ignored'`. */
export function parseCalendlyWebhook(input: unknown): ProviderResult<CalendlyWebhook, CalendlyFailureCode> {
  const envelope = parseWithCode(CalendlyWebhookEnvelope, input, CODE);
  if (!envelope.ok) return envelope;
  if (!CalendlyInviteeEventName.safeParse(envelope.value.event).success) {
    return { ok: true, value: { kind: 'ignored', event: envelope.value.event } };
  }
  const delivery = parseWithCode(CalendlyInviteeDelivery, input, CODE);
  if (!delivery.ok) return delivery;
  return { ok: true, value: { kind: 'invitee', delivery: delivery.value } };
}

export function parseCalendlyScheduledEventList(
  input: unknown,
): ProviderResult<CalendlyScheduledEventList, CalendlyFailureCode> {
  return parseWithCode(CalendlyScheduledEventList, input, CODE);
}

export function parseCalendlyInviteeList(input: unknown): ProviderResult<CalendlyInviteeList, CalendlyFailureCode> {
  return parseWithCode(CalendlyInviteeList, input, CODE);
}

export function parseCalendlyInviteeResource(
  input: unknown,
): ProviderResult<CalendlyInviteeResource, CalendlyFailureCode> {
  return parseWithCode(CalendlyInviteeResource, input, CODE);
}

export function parseCalendlyScheduledEventResource(
  input: unknown,
): ProviderResult<CalendlyScheduledEventResource, CalendlyFailureCode> {
  return parseWithCode(CalendlyScheduledEventResource, input, CODE);
}
