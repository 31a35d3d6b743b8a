/**
 * What one lead_lifecycle row keeps so batches can fold on incrementally: the domain's lead
 * lifecycle fold (identical to `evolveLeadLifecycle` over the same events) plus the projection's
 * own memory: its review tasks (domain `tasksForEvent` at the lead's current task occurrence, ids
 * deterministic; a no-show task closes when its appointment leaves no_show), resolutions (kept even
 * before their task exists, so order never matters), and mismatches as opened and closed over
 * time (domain `detectMismatches` evaluated after every event, as of that event's time).
 */
import {
  appointmentById,
  detectMismatches,
  evolveLeadLifecycle,
  initialLeadLifecycle,
  taskOccurrence,
  tasksForEvent,
  type FollowUpTaskKind,
  type LeadLifecycle,
  type MismatchEvidence,
  type MismatchKind,
  type ReconEvent,
  type WorkspaceRules,
} from '@recon/domain';

export interface TaskState {
  readonly id: string;
  readonly kind: FollowUpTaskKind;
  readonly severity: 'red' | 'amber';
  readonly provider: 'ghl' | 'calendly';
  readonly providerAppointmentId: string;
  readonly createdAt: string;
}

export interface Resolution {
  readonly resolvedAt: string;
  readonly resolvedBy: string;
  readonly note: string | null;
}

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
  readonly openMismatches: Readonly<Partial<Record<MismatchKind, OpenMismatch>>>;
  /** Recently closed mismatches (bounded) so a batch that opens and closes one still writes it. */
  readonly closedMismatches: readonly ClosedMismatch[];
}

const MAX_CLOSED = 20;

export function initialLeadRow(workspaceId: string, leadId: string): LeadRowState {
  return { workspaceId, leadId, fold: initialLeadLifecycle(), tasks: {}, resolutions: {}, openMismatches: {}, closedMismatches: [] };
}

/** The domain time of an event: when it happened as far as recon's rules are concerned. */
export function eventTime(event: ReconEvent): string {
  switch (event.type) {
    case 'LeadRegistered':
      return event.data.registeredAt;
    case 'LeadContactChanged':
      return event.data.changedAt;
    case 'LeadSentimentClassified':
      return event.data.classifiedAt;
    case 'LeadInboundActivityRecorded':
      return event.data.recordedAt;
    case 'LeadProviderChecked':
      return event.data.checkedAt;
    case 'FollowUpTaskResolved':
      return event.data.resolvedAt;
    case 'AppointmentLinkedToLead':
      return event.data.linkedAt;
    default:
      return event.data.observedAt;
  }
}

function resolutionFor(event: ReconEvent): string {
  if (event.type === 'LeadSentimentClassified') return 'SENTIMENT_CHANGED';
  if (event.type === 'LeadProviderChecked') return 'PROVIDER_CHECKED';
  if (event.type.startsWith('Appointment')) return 'EVIDENCE_CHANGED';
  return 'FACTS_CHANGED';
}

/** Who closes a no-show task whose appointment left no_show (retracted, attended, canceled, rebooked). */
export const NO_SHOW_CLOSED_BY = 'recon';

/** A no-show review is about a no-show that still stands: once the appointment leaves no_show, its open task closes. */
function closeEndedNoShows(s: LeadRowState, event: ReconEvent): LeadRowState {
  let resolutions: Record<string, Resolution> | null = null;
  for (const t of Object.values(s.tasks)) {
    if (t.kind !== 'meeting-no-show' || s.resolutions[t.id] !== undefined) continue;
    const a = appointmentById(s.fold, t.providerAppointmentId);
    if (a === null || a.status === 'no_show') continue;
    resolutions ??= { ...s.resolutions };
    resolutions[t.id] = { resolvedAt: eventTime(event), resolvedBy: NO_SHOW_CLOSED_BY, note: 'NO_SHOW_ENDED' };
  }
  return resolutions === null ? s : { ...s, resolutions };
}

function withTasks(s: LeadRowState, event: ReconEvent): LeadRowState {
  const specs = tasksForEvent(event, {}, (provider, appointmentId, kind) => taskOccurrence(s.fold, provider, appointmentId, kind));
  if (specs.length === 0) return closeEndedNoShows(s, event);
  const tasks = { ...s.tasks };
  for (const spec of specs) {
    const known = tasks[spec.taskId];
    // Both deliveries of a reschedule pair name the same task: keep the earliest observation.
    if (known !== undefined && Date.parse(known.createdAt) <= Date.parse(spec.createdAt)) continue;
    tasks[spec.taskId] = {
      id: spec.taskId,
      kind: spec.kind,
      severity: spec.severity,
      provider: spec.provider,
      providerAppointmentId: spec.providerAppointmentId,
      createdAt: spec.createdAt,
    };
  }
  return closeEndedNoShows({ ...s, tasks }, event);
}

function withMismatches(s: LeadRowState, event: ReconEvent, rules: WorkspaceRules): LeadRowState {
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
  return { ...s, openMismatches: open, closedMismatches: closed.length === 0 ? s.closedMismatches : [...s.closedMismatches, ...closed].slice(-MAX_CLOSED) };
}

/** One event (a lead event, or an appointment event naming this lead) applied to the row state. */
export function evolveLeadRow(s: LeadRowState, event: ReconEvent, rules: WorkspaceRules): LeadRowState {
  let next: LeadRowState = { ...s, fold: evolveLeadLifecycle(s.fold, event) };
  if (event.type === 'FollowUpTaskResolved' && next.resolutions[event.data.taskId] === undefined) {
    const r = { resolvedAt: event.data.resolvedAt, resolvedBy: event.data.resolvedBy, note: event.data.note };
    next = { ...next, resolutions: { ...next.resolutions, [event.data.taskId]: r } };
  }
  next = withTasks(next, event);
  // Contact data and message activity never change a mismatch (rows copy activity at write time).
  if (event.type === 'LeadInboundActivityRecorded' || event.type === 'LeadContactChanged') return next;
  return withMismatches(next, event, rules);
}
