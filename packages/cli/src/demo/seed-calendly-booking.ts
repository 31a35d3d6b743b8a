/**
 * One planned Calendly booking into the Calendly simulator (booked, then canceled, rescheduled —
 * Calendly's way: the old invitee canceled with `rescheduled: true` and a new invitee — or marked a
 * no-show), with the webhooks Calendly would have sent, minus the lost ones.
 */
import type { CalendlyDemoBooking, CalendlySimulator } from '@recon/simulators';
import { DEMO_CALENDLY } from './demo-credentials';
import { calendlyDelivery, type DemoDelivery } from './demo-deliveries';
import type { DemoBookingPlan } from './demo-world-types';

export interface SeededBooking {
  /** In order; the lost ones left out. */
  readonly deliveries: readonly DemoDelivery[];
  /** Webhooks lost in transit. */
  readonly lost: number;
  /** Bookings made directly in the provider's own tool (GHL): they never send a webhook. */
  readonly direct: number;
}

const MEETING_MS = 30 * 60_000;

export function seedCalendlyBooking(sim: CalendlySimulator, plan: DemoBookingPlan): SeededBooking {
  const { person, change } = plan;
  const made = sim.addBooking({
    organizationUri: DEMO_CALENDLY.organizationUri,
    email: person.email,
    startTime: plan.startMs,
    at: plan.createdMs,
  });
  const booking: CalendlyDemoBooking = {
    ...made,
    email: person.email,
    name: person.name,
    startMs: plan.startMs,
    endMs: plan.startMs + MEETING_MS,
    createdMs: plan.createdMs,
  };
  const sent: DemoDelivery[] = [];
  let lost = 0;
  if (plan.createWebhookLost) lost += 1;
  else sent.push(calendlyDelivery('invitee.created', booking, plan.createdMs));
  if (change === null || change.kind === 'showed') return { deliveries: sent, lost, direct: 0 };
  let changed: DemoDelivery[];
  if (change.kind === 'cancel') {
    sim.cancelInvitee(made.inviteeUri, { at: change.atMs });
    changed = [calendlyDelivery('invitee.canceled', booking, change.atMs)];
  } else if (change.kind === 'reschedule') {
    const next = sim.rescheduleInvitee(made.inviteeUri, change.newStartMs, { at: change.atMs });
    const successor: CalendlyDemoBooking = {
      ...next,
      email: person.email,
      name: person.name,
      startMs: change.newStartMs,
      endMs: change.newStartMs + MEETING_MS,
      createdMs: change.atMs,
      oldInviteeUri: made.inviteeUri,
    };
    changed = [
      calendlyDelivery('invitee.canceled', { ...booking, newInviteeUri: next.inviteeUri }, change.atMs),
      calendlyDelivery('invitee.created', successor, change.atMs),
    ];
  } else {
    sim.markNoShow(made.inviteeUri, { at: change.atMs });
    changed = [calendlyDelivery('invitee_no_show.created', booking, change.atMs)];
  }
  if (change.webhookLost) lost += changed.length;
  else sent.push(...changed);
  return { deliveries: sent, lost, direct: 0 };
}
