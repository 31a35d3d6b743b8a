/**
 * The reschedule-confirmation sweep (issue 18 §2), run by the reconcile tick for each workspace it
 * serves, under that workspace's lease. A booking canceled by a reschedule (`replaced`) names its
 * successor; when the successor has still not been seen `rescheduleGraceMinutes` (workspace
 * setting, default 30) after the provider replaced the booking, recon looks for it itself:
 * - providers that can read one booking by its id (Calendly: the invitee URI) fetch it; found, it
 *   is observed into its stream like a delivered webhook (matched to the lead through its
 *   predecessor), and the lead's meeting goes on; a 404 is the answer "not there";
 * - providers without (Cal.com) count as having looked once a successful check of the lead by that
 *   provider ran after the grace period (a check lists the lead's bookings) without finding it.
 * Not there: the old booking records `AppointmentRescheduleUnconfirmed` (decided by the domain on
 * the stream's own state, own-state-decision.ts, once per successor), which opens the red
 * `meeting-reschedule-unconfirmed` review. Any other failure (429, 5xx, timeout) decides nothing:
 * the next tick tries again. Rows already decided are not read again (their history row says so).
 * Ids and counts only in logs (nothing is logged here).
 */
import {
  appointmentStreamName,
  DEFAULT_RESCHEDULE_GRACE_MINUTES,
  DEFAULT_REVIEW_MAX_AGE_DAYS,
  decideRescheduleUnconfirmed,
  type Provider,
} from '@recon/domain';
import { sql } from 'kysely';
import { appendOwnStateDecision } from '../appointments/own-state-decision';
import type { AppointmentFetchInput, AppointmentFetchResult, ProviderConnection } from '../providers/provider-module';
import { asProvider } from '../providers/registry';
import type { ReconcileDeps } from './reconcile-deps';

const DAY_MS = 86_400_000;
/** Replaced bookings looked at per workspace and sweep (longest waiting first). */
const SWEEP_LIMIT = 50;

export interface RescheduleSweepSummary {
  /** Successors fetched and found (observed into their streams). */
  readonly confirmed: number;
  /** `AppointmentRescheduleUnconfirmed` events appended. */
  readonly unconfirmed: number;
  /** Events appended in all (successors' events included). */
  readonly eventsAppended: number;
  /** Fetches that failed for another reason than "not found" (tried again next tick). */
  readonly failures: number;
}

/** Reads one appointment by id and observes it, per provider that can (see `rescheduleFetchers`). */
export type RescheduleFetchers = Partial<
  Readonly<Record<Provider, (input: AppointmentFetchInput) => Promise<AppointmentFetchResult>>>
>;

/** The fetchers of a workspace's connected providers that can read one appointment by its id. */
export function rescheduleFetchers(
  deps: ReconcileDeps,
  connections: Partial<Readonly<Record<Provider, ProviderConnection>>>,
): RescheduleFetchers {
  const fetchers: Partial<Record<Provider, (input: AppointmentFetchInput) => Promise<AppointmentFetchResult>>> = {};
  for (const [provider, connection] of Object.entries(connections) as [Provider, ProviderConnection][]) {
    const fetchAppointment = connection.fetchAppointment;
    if (fetchAppointment) fetchers[provider] = (input) => fetchAppointment(deps, input);
  }
  return fetchers;
}

interface Candidate {
  provider: string;
  provider_appointment_id: string;
  rescheduled_to: string;
  grace_minutes: number;
  /** Cal.com and the like: a successful check of the lead by this provider after the grace period. */
  checked_after_grace: boolean;
}

/** Sweeps one workspace; `shouldStop` ends it early (the tick's time budget). */
export async function sweepRescheduleConfirmations(
  deps: Pick<ReconcileDeps, 'db' | 'store'>,
  workspaceId: string,
  now: Date,
  fetchers: RescheduleFetchers,
  shouldStop: () => boolean = () => false,
): Promise<RescheduleSweepSummary> {
  const since = new Date(now.getTime() - DEFAULT_REVIEW_MAX_AGE_DAYS * DAY_MS);
  const { rows } = await sql<Candidate>`
    SELECT a.provider, a.provider_appointment_id, a.rescheduled_to, g.grace_minutes,
      coalesce(c.checked_at >= g.due_at AND c.outcome->>'kind' <> 'failed', false) AS checked_after_grace
    FROM appointments a
    LEFT JOIN workspace_settings s ON s.workspace_id = a.workspace_id
    CROSS JOIN LATERAL (
      SELECT coalesce(s.reschedule_grace_minutes, ${DEFAULT_RESCHEDULE_GRACE_MINUTES}::int) AS grace_minutes,
        coalesce(a.provider_updated_at, a.last_observed_at)
          + make_interval(mins => coalesce(s.reschedule_grace_minutes, ${DEFAULT_RESCHEDULE_GRACE_MINUTES}::int)) AS due_at
    ) g
    LEFT JOIN lead_provider_checks c
      ON c.workspace_id = a.workspace_id AND c.lead_id = a.lead_id AND c.provider = a.provider
    WHERE a.workspace_id = ${workspaceId} AND a.status = 'replaced' AND a.lead_id IS NOT NULL
      AND a.rescheduled_to IS NOT NULL AND a.start_at >= ${since} AND g.due_at <= ${now}
      AND NOT EXISTS (
        SELECT 1 FROM appointments n
        WHERE n.workspace_id = a.workspace_id AND n.provider = a.provider AND n.provider_appointment_id = a.rescheduled_to)
      AND NOT EXISTS (
        SELECT 1 FROM appointment_history h
        WHERE h.workspace_id = a.workspace_id AND h.provider = a.provider
          AND h.provider_appointment_id = a.provider_appointment_id AND h.event_type = 'AppointmentRescheduleUnconfirmed')
    ORDER BY g.due_at, a.provider, a.provider_appointment_id
    LIMIT ${SWEEP_LIMIT}`.execute(deps.db);
  const nowIso = now.toISOString();
  let confirmed = 0;
  let unconfirmed = 0;
  let eventsAppended = 0;
  let failures = 0;
  for (const row of rows) {
    if (shouldStop()) break;
    const provider = asProvider(row.provider);
    if (provider === null) continue;
    const fetchAppointment = fetchers[provider];
    let notFound: string | null = null;
    if (fetchAppointment) {
      const fetched = await fetchAppointment({
        workspaceId,
        providerAppointmentId: row.rescheduled_to,
        source: 'poller',
      });
      if (!fetched.ok) failures++;
      else if (fetched.found) {
        confirmed++;
        eventsAppended += fetched.eventsAppended;
      } else notFound = fetched.code;
    } else if (row.checked_after_grace) notFound = 'NOT_FOUND_BY_CHECK';
    if (notFound === null) continue;
    const code = notFound;
    const stream = appointmentStreamName(workspaceId, provider, row.provider_appointment_id);
    const appended = await appendOwnStateDecision(deps.store, stream, (state) =>
      decideRescheduleUnconfirmed(state, nowIso, row.grace_minutes, code),
    );
    unconfirmed += appended;
    eventsAppended += appended;
  }
  return { confirmed, unconfirmed, eventsAppended, failures };
}
