/**
 * The attendance-review sweep (issue 18 §3), run by the reconcile tick for each workspace it serves
 * under that workspace's lease: when the workspace's `attendanceReview` setting is on, every linked
 * booking the core projection still holds as `scheduled` whose end has passed (within the review
 * window, 30 days after its start) is read from its stream and the domain decides
 * (`decideOutcomeUnknown`): one `AppointmentOutcomeUnknown` per meeting end, appended at the
 * stream's revision (own-state-decision.ts: a concurrent append, it decides again). Meetings "end" by the
 * clock, so this clock-driven fact is what the `meeting-outcome-unknown` task is derived from; a
 * rebuild folds the same events into the same task rows. Setting off: nothing is read or written.
 * Meetings already decided for their current end are skipped in SQL (their history row), so a
 * tick reads only the streams it may append to.
 * Ids and counts only in logs (nothing is logged here).
 */
import { appointmentStreamName, DEFAULT_REVIEW_MAX_AGE_DAYS, decideOutcomeUnknown } from '@recon/domain';
import { sql } from 'kysely';
import { appendOwnStateDecision } from '../appointments/own-state-decision';
import { asProvider } from '../providers/registry';
import type { ReconcileDeps } from './reconcile-deps';

const DAY_MS = 86_400_000;
/** Appointments read per workspace and sweep (most recently ended first). */
const SWEEP_LIMIT = 200;

export type AttendanceReviewSweepDeps = Pick<ReconcileDeps, 'db' | 'store'>;

/** Sweeps one workspace; returns how many `AppointmentOutcomeUnknown` events it appended. */
export async function sweepAttendanceReviews(
  deps: AttendanceReviewSweepDeps,
  workspaceId: string,
  now: Date,
): Promise<number> {
  const since = new Date(now.getTime() - DEFAULT_REVIEW_MAX_AGE_DAYS * DAY_MS);
  const { rows } = await sql<{ provider: string; provider_appointment_id: string }>`
    SELECT a.provider, a.provider_appointment_id
    FROM appointments a
    JOIN workspace_settings s ON s.workspace_id = a.workspace_id AND s.attendance_review
    WHERE a.workspace_id = ${workspaceId} AND a.status = 'scheduled' AND a.lead_id IS NOT NULL
      AND a.end_at <= ${now} AND a.start_at >= ${since}
      -- decided already for this meeting end (its history row): not read again every tick
      AND NOT EXISTS (
        SELECT 1 FROM appointment_history h
        WHERE h.workspace_id = a.workspace_id AND h.provider = a.provider
          AND h.provider_appointment_id = a.provider_appointment_id AND h.event_type = 'AppointmentOutcomeUnknown'
          AND h.start_at = a.start_at AND h.end_at = a.end_at)
    ORDER BY a.end_at DESC, a.provider, a.provider_appointment_id
    LIMIT ${SWEEP_LIMIT}`.execute(deps.db);
  const nowIso = now.toISOString();
  let appended = 0;
  for (const r of rows) {
    const provider = asProvider(r.provider);
    if (provider === null) continue;
    const stream = appointmentStreamName(workspaceId, provider, r.provider_appointment_id);
    appended += await appendOwnStateDecision(deps.store, stream, (state) => decideOutcomeUnknown(state, nowIso));
  }
  return appended;
}
