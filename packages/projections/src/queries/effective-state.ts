/**
 * Clock-dependent answers computed at read time from stored, clock-free rows: a verified booking
 * whose end has passed reads as `completed` with `assumed: true` (until attendance says otherwise),
 * so no sweep is needed and nothing goes stale. Mirrors the domain's `bookingStateAt`.
 */
import type { BookingState } from '@recon/domain';

export interface StoredState {
  readonly booking_state: string;
  readonly current_status: string | null;
  readonly current_end_at: Date | null;
}

export function effectiveLeadState(row: StoredState, now: Date): { state: BookingState; assumed: boolean } {
  if (
    row.booking_state === 'booked' &&
    row.current_status === 'scheduled' &&
    row.current_end_at !== null &&
    row.current_end_at.getTime() <= now.getTime()
  ) {
    return { state: 'completed', assumed: true };
  }
  return { state: row.booking_state as BookingState, assumed: false };
}

export interface Gate {
  readonly mayEnroll: boolean;
  readonly mustPause: boolean;
  readonly reason: string;
}

export function effectiveGate(
  row: StoredState & { may_enroll: boolean; must_pause: boolean; reason: string },
  now: Date,
): Gate {
  const eff = effectiveLeadState(row, now);
  return { mayEnroll: row.may_enroll, mustPause: row.must_pause, reason: eff.assumed ? 'completed' : row.reason };
}
