/**
 * GHL's entry in the provider registry. Webhook appointment times are full ISO instants, so no
 * location timezone is needed here (the contact endpoint's naive times are mapped by the client
 * with `mapGhlContactAppointment` and the location's zone).
 */
import type { DomainProvider } from '../domain-provider';
import type { GhlMatchHints } from './ghl-observation';
import { mapGhlWebhook } from './map-ghl';
import { parseGhlWebhook } from './parse-ghl';

export const ghlDomainProvider: DomainProvider<'ghl', GhlMatchHints> = {
  name: 'ghl',
  label: 'GoHighLevel',
  payloadInvalidCode: 'GHL_PAYLOAD_INVALID',
  observeWebhook(body, ctx) {
    const parsed = parseGhlWebhook(body);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind === 'ignored') return { ok: true, value: { kind: 'ignored', type: parsed.value.type } };
    const { webhook } = parsed.value;
    const mapped = mapGhlWebhook(webhook, { ...ctx, timeZone: null });
    if (!mapped.ok) return mapped;
    return { ok: true, value: { kind: 'observed', ...mapped.value, creates: webhook.type === 'AppointmentCreate' } };
  },
  appointmentKey: (providerAppointmentId) => providerAppointmentId,
  // A canceled GHL appointment can be re-confirmed in place: only a delete is final.
  cancellationIsFinal: false,
};
