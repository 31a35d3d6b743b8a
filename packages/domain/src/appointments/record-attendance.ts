/**
 * An operator's answer to "did this meeting happen?" (`POST …/appointments/:appointmentId/attendance`):
 * `AppointmentAttended` or `AppointmentNoShowMarked` with `source: 'manual'`. Idempotent: the answer
 * the stream already holds decides nothing (whoever gave it); a different answer decides the events
 * that bring the stream there (a no-show turned attended is retracted first).
 *
 * Which wins, the operator or the provider? Both are evidence, so the latest *attendance* fact wins:
 * a later provider report (GHL `showed` / `noshow`) overrides the operator, and the operator may
 * correct a provider's report. A provider still saying `scheduled` (a poll, a webhook about
 * something else) reports no attendance and never undoes a manual answer (`decideAppointment`).
 * Refused as values: an unknown appointment, a meeting that has not ended at `recordedAt`, a
 * meeting that did not take place (canceled, replaced by a reschedule, marked invalid).
 */
import { z } from 'zod';
import type { AppointmentEvent } from '../events/appointment-events';
import { Instant } from '../events/primitives';
import { compareInstants } from '../instants';
import { currentFacts, type AppointmentState } from './appointment-state';

export const RecordAttendance = z.object({
  type: z.literal('RecordAttendance'),
  attended: z.boolean(),
  recordedAt: Instant,
});
export type RecordAttendance = z.infer<typeof RecordAttendance>;

export type RecordAttendanceError = 'APPOINTMENT_NOT_FOUND' | 'MEETING_NOT_ENDED' | 'MEETING_NOT_HELD';

export type RecordAttendanceResult =
  | { readonly ok: true; readonly value: AppointmentEvent[] }
  | { readonly ok: false; readonly code: RecordAttendanceError };

export function decideRecordAttendance(command: RecordAttendance, state: AppointmentState): RecordAttendanceResult {
  if (state.status === 'absent') return { ok: false, code: 'APPOINTMENT_NOT_FOUND' };
  if (state.status === 'canceled' || state.status === 'replaced' || state.status === 'invalid')
    return { ok: false, code: 'MEETING_NOT_HELD' };
  if (compareInstants(state.endAt, command.recordedAt) > 0) return { ok: false, code: 'MEETING_NOT_ENDED' };
  // The provider's version watermark stays where it is: an operator's answer is no provider version.
  const f = currentFacts(state, 'manual', command.recordedAt);
  if (command.attended) {
    if (state.status === 'showed') return { ok: true, value: [] };
    const retract: AppointmentEvent[] =
      state.status === 'no_show' ? [{ type: 'AppointmentNoShowRetracted', data: f }] : [];
    return { ok: true, value: [...retract, { type: 'AppointmentAttended', data: f }] };
  }
  if (state.status === 'no_show') return { ok: true, value: [] };
  return { ok: true, value: [{ type: 'AppointmentNoShowMarked', data: f }] };
}
