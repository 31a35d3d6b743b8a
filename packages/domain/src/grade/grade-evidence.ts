/**
 * Which stored events a lead's grade rests on. The lead fold knows facts, not event ids, so the
 * ids are folded beside it (`evolveGradeEvidenceIds`, fed the store's event id of each event in
 * the same order as the lead fold), and `gradeWithEvidence` picks the few that justify the grade:
 *
 * - `provider_confirmed`: the current appointment's booking (or link) event, and its latest event
 *   when that is another one (an attendance mark, a moved time);
 * - `provider_pending`: the reschedule event that replaced the current appointment;
 * - `label_only`: the sentiment event of the current label;
 * - `contradicted`: that sentiment event and the last successful check of every provider checked;
 * - `unverified`: none.
 *
 * At most 1 + number of providers ids; an id missing from the memory (a row folded before ids
 * were kept) is left out rather than guessed.
 */
import { assertNever } from '../assert-never';
import { isLeadEvent } from '../event-kinds';
import type { ReconEvent } from '../events/recon-event';
import { compareInstants } from '../instants';
import {
  appointmentById,
  currentAppointment,
  forProvider,
  type LeadLifecycle,
  type PerProvider,
} from '../lead-lifecycle/lead-lifecycle-state';
import type { WorkspaceRules } from '../mismatches/workspace-rules';
import { checkedProviders, leadGrade, type GradeFacts, type LeadGrade } from './lead-grade';

export interface AppointmentEvidenceIds {
  /** The event that booked the appointment, or linked it to the lead. */
  readonly booked: string | null;
  /** The event that marked it replaced by a reschedule (null once rebooked). */
  readonly replaced: string | null;
  /** The latest event of the appointment applied to the lead. */
  readonly last: string;
}

export interface GradeEvidenceIds {
  /** The event of the current sentiment label. */
  readonly sentiment: string | null;
  /** The last successful full check per provider. */
  readonly checks: PerProvider<string>;
  readonly appointments: Readonly<Record<string, AppointmentEvidenceIds>>;
}

export interface GradeWithEvidence {
  readonly grade: LeadGrade;
  /** Store event ids, see the module header. */
  readonly evidence: readonly string[];
}

export function initialGradeEvidenceIds(): GradeEvidenceIds {
  return { sentiment: null, checks: {}, appointments: {} };
}

function appointmentIds(ids: GradeEvidenceIds, id: string): AppointmentEvidenceIds | null {
  return Object.hasOwn(ids.appointments, id) ? (ids.appointments[id] ?? null) : null;
}

/**
 * One event's id remembered. `before` is the lead fold *before* the event (the same rules decide
 * here as in the fold: an older label or check does not replace a newer one).
 */
export function evolveGradeEvidenceIds(
  ids: GradeEvidenceIds,
  before: LeadLifecycle,
  event: ReconEvent,
  eventId: string,
): GradeEvidenceIds {
  if (isLeadEvent(event)) {
    switch (event.type) {
      case 'LeadSentimentClassified': {
        const previous = before.sentiment;
        if (previous !== null && compareInstants(event.data.classifiedAt, previous.classifiedAt) < 0) return ids;
        return { ...ids, sentiment: eventId };
      }
      case 'LeadProviderChecked': {
        const { provider, outcome, range, checkedAt } = event.data;
        if (range !== undefined || outcome.kind === 'failed') return ids;
        const previous = forProvider(before.lastSuccessfulChecks, provider);
        if (previous !== null && compareInstants(checkedAt, previous.checkedAt) < 0) return ids;
        return { ...ids, checks: { ...ids.checks, [provider]: eventId } };
      }
      default:
        return ids;
    }
  }
  const d = event.data;
  if (d.leadId !== null && before.leadId !== null && d.leadId !== before.leadId) return ids;
  const known = appointmentIds(ids, d.providerAppointmentId);
  let booked = known?.booked ?? null;
  let replaced = known?.replaced ?? null;
  switch (event.type) {
    case 'AppointmentBooked':
      booked = eventId;
      replaced = null;
      break;
    case 'AppointmentLinkedToLead':
      if (appointmentById(before, d.providerAppointmentId) === null) {
        booked = eventId;
        replaced = event.data.current?.status === 'replaced' ? eventId : null;
      }
      break;
    case 'AppointmentRescheduled':
      if (event.data.rescheduledTo !== null) replaced = eventId;
      break;
    case 'AppointmentCanceled':
    case 'AppointmentAttended':
    case 'AppointmentNoShowMarked':
    case 'AppointmentNoShowRetracted':
    case 'AppointmentMarkedInvalid':
    case 'AppointmentVersionObserved':
    case 'AppointmentOutcomeUnknown':
    case 'AppointmentRescheduleUnconfirmed':
      break;
    default:
      return assertNever(event, 'appointment event');
  }
  return {
    ...ids,
    appointments: { ...ids.appointments, [d.providerAppointmentId]: { booked, replaced, last: eventId } },
  };
}

const present = (list: readonly (string | null)[]): string[] => [
  ...new Set(list.filter((id): id is string => id !== null)),
];

/** The grade and the ids of the events it rests on (see the module header). */
export function gradeWithEvidence(
  facts: GradeFacts,
  rules: Pick<WorkspaceRules, 'bookedSentimentLabels'>,
  ids: GradeEvidenceIds = initialGradeEvidenceIds(),
): GradeWithEvidence {
  const grade = leadGrade(facts, rules);
  const current = currentAppointment(facts as LeadLifecycle);
  const appointment = current === null ? null : appointmentIds(ids, current.providerAppointmentId);
  switch (grade) {
    case 'provider_confirmed':
      return { grade, evidence: present([appointment?.booked ?? null, appointment?.last ?? null]) };
    case 'provider_pending':
      return { grade, evidence: present([appointment?.replaced ?? appointment?.last ?? null]) };
    case 'label_only':
      return { grade, evidence: present([ids.sentiment]) };
    case 'contradicted':
      return {
        grade,
        evidence: present([ids.sentiment, ...checkedProviders(facts).map((p) => forProvider(ids.checks, p))]),
      };
    case 'unverified':
      return { grade, evidence: [] };
    default:
      return assertNever(grade, 'lead grade');
  }
}
