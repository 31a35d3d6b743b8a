/**
 * One planned GHL appointment into the GHL simulator (booked, then canceled, moved to other times —
 * GHL's reschedule keeps the appointment id — or marked showed / no-show), with the webhooks GHL
 * would have sent: none for a booking made directly in GHL, and the lost ones left out.
 */
import type { GhlDemoAppointment, GhlSigner, GhlSimulator } from '@recon/simulators';
import { DEMO_GHL } from './demo-credentials';
import { ghlDelivery, type DemoDelivery } from './demo-deliveries';
import type { DemoBookingPlan } from './demo-world-types';
import type { SeededBooking } from './seed-calendly-booking';

const MEETING_MS = 30 * 60_000;
const STATUS = { cancel: 'cancelled', no_show: 'noshow', showed: 'showed' } as const;

export function seedGhlAppointment(sim: GhlSimulator, plan: DemoBookingPlan, signer: GhlSigner): SeededBooking {
  const contactId = plan.person.ghlContactId;
  if (contactId === null) return { deliveries: [], lost: 0, direct: 0 };
  const endMs = plan.startMs + MEETING_MS;
  const appt = sim.addAppointment({
    locationId: DEMO_GHL.locationId,
    contactId,
    calendarId: DEMO_GHL.calendarId,
    startTime: plan.startMs,
    endTime: endMs,
    dateAdded: plan.createdMs,
  });
  const base: GhlDemoAppointment = {
    id: appt.id,
    locationId: DEMO_GHL.locationId,
    contactId,
    calendarId: DEMO_GHL.calendarId,
    status: 'confirmed',
    startMs: plan.startMs,
    endMs,
    addedMs: plan.createdMs,
    updatedMs: plan.createdMs,
  };
  const sent: DemoDelivery[] = [];
  let lost = 0;
  const direct = plan.createWebhookLost ? 1 : 0;
  if (direct === 0) sent.push(ghlDelivery('AppointmentCreate', base, signer));
  const { change } = plan;
  if (change === null) return { deliveries: sent, lost, direct };
  let after: GhlDemoAppointment;
  if (change.kind === 'reschedule') {
    sim.updateAppointment(appt.id, { startTime: change.newStartMs, at: change.atMs });
    after = { ...base, startMs: change.newStartMs, endMs: change.newStartMs + MEETING_MS, updatedMs: change.atMs };
  } else {
    sim.updateAppointment(appt.id, { appointmentStatus: STATUS[change.kind], at: change.atMs });
    after = { ...base, status: STATUS[change.kind], updatedMs: change.atMs };
  }
  if (change.webhookLost) lost += 1;
  else sent.push(ghlDelivery('AppointmentUpdate', after, signer));
  return { deliveries: sent, lost, direct };
}
