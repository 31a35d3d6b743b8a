/**
 * Bench-only seeding of the read models with set-based SQL (one INSERT … SELECT generate_series per
 * table): lead_lifecycle and automation_gates for every lead, a GHL check row for the checked ones, open mismatches for about a quarter
 * of them (10 % sentiment_booked_no_evidence, 10 % evidence_not_marked_booked, 2 % canceled), plus
 * resolved ones that the partial indexes must skip. Meetings end from `now` − 2 years to `now` + 2
 * weeks, spread evenly by lead (history piles up; upcoming meetings are the booking horizon): the
 * stats count the booked leads whose meeting has not ended as of the clock.
 * Writes through the live generation's views, then VACUUM ANALYZE (the visibility map and the
 * statistics of a settled database).
 */
import type pg from 'pg';

const STATES = `(ARRAY['unknown','not_booked','booked','canceled','completed','no_show'])[1 + g % 6]`;

export async function seedReadModels(pool: pg.Pool, ws: string, leads: number, now: Date): Promise<void> {
  const DAY = 86_400_000;
  const ends = new Date(now.getTime() - 730 * DAY);
  const stepSeconds = (744 * DAY) / 1000 / Math.max(1, leads);
  await pool.query(
    `INSERT INTO lead_lifecycle (workspace_id, lead_id, booking_state, booking_state_since, current_provider, current_provider_appointment_id,
       current_status, current_start_at, current_end_at, bookings, cancellations, reschedules, no_shows, sentiment_label, sentiment_at,
       last_inbound_at, last_message_direction, registered, grade, grade_evidence, fold, memory, position)
     SELECT $1, 'lead-' || g, ${STATES}, timestamptz '2030-01-01' + g * interval '1 second',
       CASE WHEN g % 6 IN (2,3,4,5) THEN 'ghl' END, CASE WHEN g % 6 IN (2,3,4,5) THEN 'appt-' || g END,
       CASE g % 6 WHEN 2 THEN 'scheduled' WHEN 3 THEN 'canceled' WHEN 4 THEN 'attended' WHEN 5 THEN 'no_show' END,
       CASE WHEN g % 6 IN (2,3,4,5) THEN $3::timestamptz + g * $4::float8 * interval '1 second' - interval '30 minutes' END,
       CASE WHEN g % 6 IN (2,3,4,5) THEN $3::timestamptz + g * $4::float8 * interval '1 second' END,
       (g % 6 IN (2,3,4,5))::int, (g % 6 = 3)::int, 0, (g % 6 = 5)::int,
       CASE WHEN g % 5 = 0 THEN 'Meeting Booked' WHEN g % 5 = 1 THEN 'Interested' END,
       CASE WHEN g % 5 IN (0,1) THEN timestamptz '2030-01-01' + g * interval '1 second' END,
       CASE WHEN g % 3 = 0 THEN timestamptz '2030-01-02' + g * interval '1 second' END, CASE WHEN g % 3 = 0 THEN 'inbound' END,
       true, CASE WHEN g % 6 IN (2,4,5) THEN 'provider_confirmed' WHEN g % 5 = 0 THEN 'label_only' ELSE 'unverified' END,
       '[]'::jsonb, '{}'::jsonb, '{}'::jsonb, '1:' || g
     FROM generate_series(0, $2::int - 1) g`,
    [ws, leads, ends, stepSeconds],
  );
  // Every lead but the unknown ones was checked at GHL (one row per provider checked).
  await pool.query(
    `INSERT INTO lead_provider_checks (workspace_id, lead_id, provider, checked_at, outcome, position)
     SELECT $1, 'lead-' || g, 'ghl', timestamptz '2030-01-03' + g * interval '1 second', '{"kind":"none"}'::jsonb, '1:' || g
     FROM generate_series(0, $2::int - 1) g WHERE g % 6 <> 0`,
    [ws, leads],
  );
  await pool.query(
    `INSERT INTO automation_gates (workspace_id, lead_id, may_enroll, must_pause, reason, booking_state, current_status, current_end_at, position)
     SELECT $1, 'lead-' || g, g % 6 = 1, g % 6 IN (2,3,4), CASE g % 6 WHEN 0 THEN 'unverified' WHEN 1 THEN 'not_booked' WHEN 2 THEN 'booked'
       WHEN 3 THEN 'canceled_needs_review' WHEN 4 THEN 'completed' ELSE 'no_show' END, ${STATES},
       CASE g % 6 WHEN 2 THEN 'scheduled' WHEN 3 THEN 'canceled' END,
       CASE WHEN g % 6 IN (2,3) THEN $3::timestamptz + g * $4::float8 * interval '1 second' END, '1:' || g
     FROM generate_series(0, $2::int - 1) g`,
    [ws, leads, ends, stepSeconds],
  );
  await pool.query(
    `INSERT INTO mismatches (workspace_id, lead_id, kind, since, status, resolved_at, resolution, auto_corrected, evidence,
       sentiment_label, sentiment_at, last_inbound_at, last_message_direction, position)
     SELECT $1, 'lead-' || g,
       CASE WHEN g % 10 IN (0, 3) THEN 'sentiment_booked_no_evidence' WHEN g % 10 = 1 THEN 'evidence_not_marked_booked' ELSE 'canceled_but_booked_status' END,
       timestamptz '2030-02-01' + g * interval '1 second', CASE WHEN g % 10 = 3 THEN 'resolved' ELSE 'open' END,
       CASE WHEN g % 10 = 3 THEN timestamptz '2030-03-01' END, CASE WHEN g % 10 = 3 THEN 'facts_changed' END, false,
       jsonb_build_object('appointments', 0, 'checked', jsonb_build_array('ghl'), 'lastCheckAt', '2030-01-03T00:00:00.000Z'),
       'Meeting Booked', timestamptz '2030-01-01' + g * interval '1 second',
       CASE WHEN g % 3 = 0 THEN timestamptz '2030-01-02' + g * interval '1 second' END, CASE WHEN g % 3 = 0 THEN 'inbound' END, '1:' || g
     FROM generate_series(0, $2::int - 1) g WHERE g % 10 IN (0, 1, 3) OR g % 50 = 2`,
    [ws, leads],
  );
  // The counters the projection maintains, as it would for these rows.
  await pool.query(
    `INSERT INTO workspace_stats (workspace_id, metric, value)
     SELECT $1, 'state:' || booking_state, count(*) FROM lead_lifecycle WHERE workspace_id = $1 GROUP BY booking_state
     UNION ALL
     SELECT $1, 'mismatch:' || kind, count(*) FROM mismatches WHERE workspace_id = $1 AND status = 'open' GROUP BY kind`,
    [ws],
  );
  // VACUUM ANALYZE the generation's tables behind the views, so plans are those of a settled database.
  const { rows } = await pool.query<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'mismatches' AND table_type = 'BASE TABLE'`,
  );
  for (const { schema } of rows)
    await pool.query(
      `VACUUM ANALYZE "${schema}".lead_lifecycle, "${schema}".lead_provider_checks, "${schema}".automation_gates, "${schema}".mismatches, "${schema}".workspace_stats`,
    );
}
