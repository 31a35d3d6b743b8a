/**
 * The domain's scenario builder at recent times: cancellations open review tasks only for recent
 * meetings, so observations happen now, meetings tomorrow and registrations an hour ago.
 */
import type { ReconEvent } from '@recon/domain';
import { Scenario } from '@recon/domain/testing';

/** An instant `minutesFromNow` from the wall clock. */
export function at(minutesFromNow: number): string {
  return new Date(Date.now() + minutesFromNow * 60_000).toISOString();
}

export class NotificationScenario extends Scenario {
  constructor(workspaceId: string) {
    super(workspaceId, {
      now: () => at(0),
      registeredAt: () => at(-60),
      meeting: () => ({ startAt: at(24 * 60), endAt: at(24 * 60 + 30) }),
    });
  }

  /** Booked, then canceled: booking-state, gate and task notifications. */
  bookThenCancel(leadId: string, appointmentId: string, minute: number): ReconEvent[] {
    return [
      ...this.observe({ providerAppointmentId: appointmentId, leadId, providerUpdatedAt: at(minute) }),
      ...this.observe({
        providerAppointmentId: appointmentId,
        leadId,
        status: 'canceled',
        providerUpdatedAt: at(minute + 1),
        observedAt: at(minute + 1),
      }),
    ];
  }
}
