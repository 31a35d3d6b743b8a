/**
 * Calendly's entry in the provider registry. An appointment is an invitee: its stream key is the
 * invitee UUID (the last path segment of its URI, unique and short; any other shape keeps the
 * full URI), and a canceled invitee never comes back (a reschedule creates a new invitee).
 */
import type { DomainProvider } from '../domain-provider';
import type { CalendlyMatchHints } from './calendly-observation';
import { mapCalendlyDelivery } from './map-calendly';
import { parseCalendlyWebhook } from './parse-calendly';

const CALENDLY_INVITEE_URI = /^https:\/\/api\.calendly\.com\/scheduled_events\/[^/]+\/invitees\/([A-Za-z0-9-]+)$/;

export const calendlyDomainProvider: DomainProvider<'calendly', CalendlyMatchHints> = {
  name: 'calendly',
  label: 'Calendly',
  payloadInvalidCode: 'CALENDLY_PAYLOAD_INVALID',
  observeWebhook(body, ctx) {
    const parsed = parseCalendlyWebhook(body);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind === 'ignored') return { ok: true, value: { kind: 'ignored', type: parsed.value.event } };
    const { delivery } = parsed.value;
    const mapped = mapCalendlyDelivery(delivery, ctx);
    if (!mapped.ok) return mapped;
    return { ok: true, value: { kind: 'observed', ...mapped.value, creates: delivery.event === 'invitee.created' } };
  },
  appointmentKey(providerAppointmentId) {
    return CALENDLY_INVITEE_URI.exec(providerAppointmentId)?.[1] ?? providerAppointmentId;
  },
  cancellationIsFinal: true,
};
