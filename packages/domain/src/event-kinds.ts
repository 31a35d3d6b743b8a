/** Telling the two event families apart without listing every type (the type prefix is the contract). */
import type { AppointmentEvent } from './events/appointment-events';
import type { LeadEvent } from './events/lead-events';
import type { ReconEvent } from './events/recon-event';

export function isAppointmentEvent(event: ReconEvent): event is AppointmentEvent {
  return event.type.startsWith('Appointment');
}

export function isLeadEvent(event: ReconEvent): event is LeadEvent {
  return !isAppointmentEvent(event);
}
