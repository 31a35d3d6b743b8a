/**
 * What one lead_lifecycle row keeps so batches can fold on incrementally: the domain's lead
 * lifecycle fold (identical to `evolveLeadLifecycle` over the same events) plus the projection's
 * own memory: its review tasks and resolutions (the domain's `evolveLeadTasks`: ids deterministic,
 * one per occurrence, resolutions kept even before their task exists, a no-show task ended while
 * its no-show does not stand), and mismatches as opened and closed over
 * time (domain `detectMismatches` evaluated after every event, as of that event's time).
 */
import {
  detectMismatches,
  evolveGradeEvidenceIds,
  evolveLeadTasks,
  gradeWithEvidence,
  initialGradeEvidenceIds,
  type GradeEvidenceIds,
  type GradeWithEvidence,
  evolveLeadLifecycle,
  initialLeadLifecycle,
  type LeadTask,
  type TaskResolution,
  type LeadLifecycle,
  type MismatchEvidence,
  type MismatchKind,
  type ReconEvent,
  type WorkspaceRules,
  type WorkspaceRulesChanged,
} from '@recon/domain';

import type { CountedState } from './lead-state-days';

export type TaskState = LeadTask;
export type Resolution = TaskResolution;

export interface OpenMismatch {
  readonly since: string;
  readonly evidence: MismatchEvidence;
  readonly autoCorrected: boolean;
}

export interface ClosedMismatch extends OpenMismatch {
  readonly kind: MismatchKind;
  readonly resolvedAt: string;
  readonly resolution: string;
}

export interface LeadRowState {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly fold: LeadLifecycle;
  readonly tasks: Readonly<Record<string, TaskState>>;
  readonly resolutions: Readonly<Record<string, Resolution>>;
  /** No-show tasks whose no-show ended (domain `LeadTasks.ended`); absent in older rows. */
  readonly ended?: Readonly<Record<string, string>>;
  readonly openMismatches: Readonly<Partial<Record<MismatchKind, OpenMismatch>>>;
  /** Recently closed mismatches (bounded) so a batch that opens and closes one still writes it. */
  readonly closedMismatches: readonly ClosedMismatch[];
  /** What the daily state counters count the lead as (lead-state-days.ts); absent until first counted. */
  readonly counted?: CountedState;
  /** Store event ids the grade may rest on (domain `evolveGradeEvidenceIds`); absent in older rows. */
  readonly evidenceIds?: GradeEvidenceIds;
  /** The verification grade under the rules in force, with its evidence; absent until first evolved. */
  readonly grade?: GradeWithEvidence;
}

/** How many closed mismatches a row remembers (older ones keep the table row their last write left). */
export const MAX_CLOSED_MISMATCHES = 20;

export function initialLeadRow(workspaceId: string, leadId: string): LeadRowState {
  return {
    workspaceId,
    leadId,
    fold: initialLeadLifecycle(),
    tasks: {},
    resolutions: {},
    openMismatches: {},
    closedMismatches: [],
  };
}

/** The domain time of an event: when it happened as far as recon's rules are concerned. */
export function eventTime(event: ReconEvent | WorkspaceRulesChanged): string {
  switch (event.type) {
    case 'WorkspaceRulesChanged':
      return event.data.changedAt;
    case 'LeadRegistered':
      return event.data.registeredAt;
    case 'LeadContactChanged':
      return event.data.changedAt;
    case 'LeadSentimentClassified':
      return event.data.classifiedAt;
    case 'LeadInboundActivityRecorded':
      return event.data.recordedAt;
    case 'LeadProviderChecked':
    case 'LeadBookedLabelUnverified':
      return event.data.checkedAt;
    case 'FollowUpTaskResolved':
      return event.data.resolvedAt;
    case 'LeadContactErased':
      return event.data.erasedAt;
    case 'AppointmentLinkedToLead':
      return event.data.linkedAt;
    default:
      return event.data.observedAt;
  }
}

function resolutionFor(event: ReconEvent | WorkspaceRulesChanged): string {
  if (event.type === 'WorkspaceRulesChanged') return 'RULES_CHANGED';
  if (event.type === 'LeadSentimentClassified') return 'SENTIMENT_CHANGED';
  if (event.type === 'LeadProviderChecked') return 'PROVIDER_CHECKED';
  if (event.type.startsWith('Appointment')) return 'EVIDENCE_CHANGED';
  return 'FACTS_CHANGED';
}

function withMismatches(
  s: LeadRowState,
  event: ReconEvent | WorkspaceRulesChanged,
  rules: WorkspaceRules,
): LeadRowState {
  const at = eventTime(event);
  const found = detectMismatches(s.fold, rules, at);
  const open: Partial<Record<MismatchKind, OpenMismatch>> = {};
  const closed: ClosedMismatch[] = [];
  for (const m of found) {
    const already = s.openMismatches[m.kind];
    open[m.kind] = { since: already?.since ?? m.since, evidence: m.evidence, autoCorrected: m.autoCorrected };
  }
  for (const [kind, m] of Object.entries(s.openMismatches) as [MismatchKind, OpenMismatch][]) {
    if (open[kind] === undefined) closed.push({ ...m, kind, resolvedAt: at, resolution: resolutionFor(event) });
  }
  if (found.length === 0 && closed.length === 0 && Object.keys(s.openMismatches).length === 0) return s;
  return {
    ...s,
    openMismatches: open,
    closedMismatches:
      closed.length === 0 ? s.closedMismatches : [...s.closedMismatches, ...closed].slice(-MAX_CLOSED_MISMATCHES),
  };
}

/** The row's grade under `rules` (unchanged object when equal, so unchanged rows stay unchanged). */
function withGrade(s: LeadRowState, rules: WorkspaceRules): LeadRowState {
  const grade = gradeWithEvidence(s.fold, rules, s.evidenceIds);
  const same =
    s.grade !== undefined &&
    s.grade.grade === grade.grade &&
    s.grade.evidence.length === grade.evidence.length &&
    s.grade.evidence.every((id, i) => grade.evidence[i] === id);
  return same ? s : { ...s, grade };
}

/**
 * One event (a lead event, or an appointment event naming this lead) applied to the row state.
 * `eventId` is the store's id of the event (what the grade's evidence names).
 */
export function evolveLeadRow(s: LeadRowState, event: ReconEvent, rules: WorkspaceRules, eventId = ''): LeadRowState {
  const fold = evolveLeadLifecycle(s.fold, event);
  const tasks = evolveLeadTasks(s, fold, event, eventTime(event));
  const evidenceIds = evolveGradeEvidenceIds(s.evidenceIds ?? initialGradeEvidenceIds(), s.fold, event, eventId);
  const next: LeadRowState = withGrade(
    {
      ...s,
      fold,
      tasks: tasks.tasks,
      resolutions: tasks.resolutions,
      ...(tasks.ended === undefined ? {} : { ended: tasks.ended }),
      evidenceIds,
    },
    rules,
  );
  // Contact data and message activity never change a mismatch (rows copy activity at write time).
  if (
    event.type === 'LeadInboundActivityRecorded' ||
    event.type === 'LeadContactChanged' ||
    event.type === 'LeadContactErased'
  )
    return next;
  return withMismatches(next, event, rules);
}

/** The workspace rules changed: the lead's mismatches re-evaluated under the new rules, as of the change. */
export function reevaluateLeadRow(s: LeadRowState, event: WorkspaceRulesChanged, rules: WorkspaceRules): LeadRowState {
  return withMismatches(withGrade(s, rules), event, rules);
}
