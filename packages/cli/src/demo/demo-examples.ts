/**
 * One lead id per story of the demo world, for the summary ("open #/leads/<id>") and the demo
 * test: ids only, never a person's address or name.
 */
import type { DemoBookingPlan, DemoWorld } from './demo-world-types';

export interface DemoExamples {
  readonly calendlyReschedule: string | null;
  readonly ghlReschedule: string | null;
  readonly canceled: string | null;
  readonly noShow: string | null;
  readonly attended: string | null;
  /** A booking whose every webhook was lost (or never sent): only polling knows it. */
  readonly foundByPolling: string | null;
  /** "Meeting Booked" and no meeting anywhere: a mismatch that stays open. */
  readonly bookedWithoutEvidence: string | null;
  /** A late booking whose webhook was lost: the operator's check-now found it. */
  readonly foundByCheckNow: string | null;
}

export function demoExamples(world: DemoWorld): DemoExamples {
  const first = (test: (b: DemoBookingPlan) => boolean) =>
    world.bookings.find((b) => b.lead !== null && test(b))?.lead?.leadId ?? null;
  const late = new Set(world.later.lateBookings.map((l) => l.lead.leadId));
  const booked = new Set(world.bookings.flatMap((b) => (b.lead === null ? [] : [b.lead.leadId])));
  return {
    calendlyReschedule: first((b) => b.provider === 'calendly' && b.change?.kind === 'reschedule'),
    ghlReschedule: first((b) => b.provider === 'ghl' && b.change?.kind === 'reschedule'),
    canceled: first((b) => b.change?.kind === 'cancel'),
    noShow: first((b) => b.change?.kind === 'no_show'),
    attended: first((b) => b.change?.kind === 'showed'),
    foundByPolling: first((b) => b.createWebhookLost && b.change === null),
    bookedWithoutEvidence:
      world.leads.find((l) => l.sentiment?.label === 'Meeting Booked' && !booked.has(l.leadId) && !late.has(l.leadId))
        ?.leadId ?? null,
    foundByCheckNow: world.later.lateBookings.find((l) => l.webhookLost)?.lead.leadId ?? null,
  };
}
