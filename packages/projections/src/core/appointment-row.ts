/**
 * One provider appointment as the appointments table holds it: the domain's appointment fold plus
 * what operators want beside it (how it was matched, first seen, how often it moved, was canceled
 * or marked no-show). Unmatched bookings keep leadId null and are listed, never dropped.
 */
import {
  evolveAppointment as evolveDomainAppointment,
  initialAppointmentState,
  type AppointmentEvent,
  type AppointmentSnapshot,
} from '@recon/domain';

export interface AppointmentRowState extends AppointmentSnapshot {
  readonly version: number;
  readonly matchedBy: string | null;
  readonly firstObservedAt: string;
  readonly reschedules: number;
  readonly cancellations: number;
  readonly noShows: number;
}

export function appointmentKey(workspaceId: string, provider: string, providerAppointmentId: string): string {
  return `${workspaceId}\u0000${provider}\u0000${providerAppointmentId}`;
}

/** Late history is evidence too: an older version at other times is a move that happened. */
function historicalMove(event: AppointmentEvent): boolean {
  if (event.type !== 'AppointmentVersionObserved' || !event.data.historical) return false;
  const d = event.data;
  return Date.parse(d.observedStartAt) !== Date.parse(d.startAt) || Date.parse(d.observedEndAt) !== Date.parse(d.endAt);
}

/** …and an older canceled version of an appointment not canceled now, a cancellation that happened. */
function historicalCancel(event: AppointmentEvent, prev: AppointmentRowState | undefined): boolean {
  return (
    event.type === 'AppointmentVersionObserved' &&
    event.data.historical &&
    event.data.observedStatus === 'canceled' &&
    prev?.status !== 'canceled'
  );
}

export function evolveAppointmentRow(
  prev: AppointmentRowState | undefined,
  event: AppointmentEvent,
): AppointmentRowState {
  const next = evolveDomainAppointment(prev ?? initialAppointmentState(), event);
  if (next.status === 'absent') throw new Error('appointment fold returned absent after an event');
  const d = event.data;
  return {
    ...next,
    matchedBy:
      event.type === 'AppointmentLinkedToLead'
        ? event.data.matchedBy
        : (prev?.matchedBy ?? (d.leadId !== null ? 'lead_id' : null)),
    firstObservedAt:
      prev === undefined || Date.parse(d.observedAt) < Date.parse(prev.firstObservedAt)
        ? d.observedAt
        : prev.firstObservedAt,
    reschedules: (prev?.reschedules ?? 0) + (event.type === 'AppointmentRescheduled' || historicalMove(event) ? 1 : 0),
    cancellations:
      (prev?.cancellations ?? 0) + (event.type === 'AppointmentCanceled' || historicalCancel(event, prev) ? 1 : 0),
    noShows: (prev?.noShows ?? 0) + (event.type === 'AppointmentNoShowMarked' ? 1 : 0),
  };
}
