/**
 * GHL `appointmentStatus` → recon's normalized status. Documented values (ghl.md §3): new,
 * confirmed, cancelled, showed, noshow, invalid; responses add active, completed; the contact
 * endpoint's `status` shows `booked`.
 * - new / confirmed / active / booked → scheduled
 * - cancelled (or canceled) → canceled
 * - showed / completed → showed
 * - noshow (or no_show / no-show) → no_show
 * - invalid → invalid: GHL uses it for appointments marked invalid (spam, test, duplicate); such
 *   a booking is no evidence of a meeting (never booked) and no cancellation (no red task).
 * - anything else → `GHL_STATUS_UNKNOWN`: guessing could invent evidence (scheduled) or a red
 *   task (canceled), so an unknown value fails that appointment's mapping with a code instead.
 */
import type { AppointmentStatus } from '../../events/appointment-events';
import type { ProviderResult } from '../provider-parse-result';

const TABLE: Readonly<Record<string, AppointmentStatus>> = {
  new: 'scheduled',
  confirmed: 'scheduled',
  active: 'scheduled',
  booked: 'scheduled',
  cancelled: 'canceled',
  canceled: 'canceled',
  invalid: 'invalid',
  showed: 'showed',
  completed: 'showed',
  noshow: 'no_show',
  no_show: 'no_show',
  'no-show': 'no_show',
};

export function mapGhlAppointmentStatus(
  raw: string | null | undefined,
): ProviderResult<AppointmentStatus, 'GHL_STATUS_UNKNOWN'> {
  const key = (raw ?? '').trim().toLowerCase();
  const status = Object.hasOwn(TABLE, key) ? TABLE[key] : undefined;
  if (status) return { ok: true, value: status };
  return {
    ok: false,
    code: 'GHL_STATUS_UNKNOWN',
    issues: [raw ? 'appointmentStatus: unknown value' : 'appointmentStatus: missing'],
  };
}
