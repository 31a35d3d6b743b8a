/**
 * Cal.com's entry in the provider registry. An appointment is a booking, keyed by its `uid` (short,
 * unique; a reschedule creates a new booking with a new uid). A canceled booking never comes back:
 * Cal.com reschedules and rebookings create new bookings, so a cancellation is final.
 * The generic webhook observation is the booking the delivery describes; the old booking of a
 * reschedule and attendance marks (which need the stored times) are applied by ingest's Cal.com
 * module with `mapCalcomBookingDelivery` / `mapCalcomAttendance`.
 */
import type { DomainProvider } from '../domain-provider';
import { CALCOM_PAYLOAD_INVALID, type CalcomMatchHints } from './calcom-observation';
import { mapCalcomBookingDelivery } from './map-calcom';
import { parseCalcomWebhook } from './parse-calcom';

export const calcomDomainProvider: DomainProvider<'calcom', CalcomMatchHints> = {
  name: 'calcom',
  label: 'Cal.com',
  payloadInvalidCode: CALCOM_PAYLOAD_INVALID,
  observeWebhook(body, ctx) {
    const parsed = parseCalcomWebhook(body);
    if (!parsed.ok) return parsed;
    if (parsed.value.kind !== 'booking') {
      const type = parsed.value.kind === 'ignored' ? parsed.value.event : parsed.value.delivery.triggerEvent;
      return { ok: true, value: { kind: 'ignored', type } };
    }
    const { delivery } = parsed.value;
    const mapped = mapCalcomBookingDelivery(delivery, ctx);
    if (!mapped.ok) return mapped;
    if (mapped.value.kind === 'ignored') return { ok: true, value: mapped.value };
    const { current, hints } = mapped.value.value;
    return {
      ok: true,
      value: { kind: 'observed', observation: current, hints, creates: delivery.triggerEvent === 'BOOKING_CREATED' },
    };
  },
  appointmentKey: (providerAppointmentId) => providerAppointmentId,
  cancellationIsFinal: true,
};
