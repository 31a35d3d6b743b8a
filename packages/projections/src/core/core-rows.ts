/**
 * Mapping between the core working set and table rows (both directions for the rows a batch
 * reloads). Rows leave as plain JSON objects keyed by column, ready for the set-based writers.
 * Everything clock-dependent (completed-assumed) is left to readers: rows hold the clock-free
 * state and the current appointment's status and end, from which `effectiveLeadState` decides.
 */
import {
  automationGate,
  checkList,
  currentAppointment,
  taskResolution,
  type Provider,
  type WorkspaceRules,
} from '@recon/domain';
import type { AppointmentRowState } from './appointment-row';
import type { HistoryEntry } from './core-step';
import type { LeadRowState, OpenMismatch } from './lead-row';

function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

export function appointmentToRow(a: AppointmentRowState, position: string) {
  return {
    workspace_id: a.workspaceId,
    provider: a.provider,
    provider_appointment_id: a.providerAppointmentId,
    lead_id: a.leadId,
    matched_by: a.matchedBy,
    status: a.status,
    start_at: a.startAt,
    end_at: a.endAt,
    source: a.source,
    calendly_event_uri: a.calendlyEventUri,
    rescheduled_from: a.rescheduledFrom,
    rescheduled_to: a.rescheduledTo,
    deleted: a.deleted,
    provider_updated_at: a.providerUpdatedAt,
    first_observed_at: a.firstObservedAt,
    last_observed_at: a.observedAt,
    version: a.version,
    reschedules: a.reschedules,
    cancellations: a.cancellations,
    no_shows: a.noShows,
    position,
  };
}
export const APPOINTMENT_COLUMNS = Object.keys(appointmentToRow({} as AppointmentRowState, ''));

export function rowToAppointment(r: Record<string, unknown>): AppointmentRowState {
  return {
    workspaceId: r['workspace_id'] as string,
    provider: r['provider'] as Provider,
    providerAppointmentId: r['provider_appointment_id'] as string,
    leadId: (r['lead_id'] as string | null) ?? null,
    matchedBy: (r['matched_by'] as string | null) ?? null,
    status: r['status'] as AppointmentRowState['status'],
    startAt: iso(r['start_at']) ?? '',
    endAt: iso(r['end_at']) ?? '',
    source: r['source'] as AppointmentRowState['source'],
    calendlyEventUri: (r['calendly_event_uri'] as string | null) ?? null,
    rescheduledFrom: (r['rescheduled_from'] as string | null) ?? null,
    rescheduledTo: (r['rescheduled_to'] as string | null) ?? null,
    deleted: r['deleted'] === true,
    providerUpdatedAt: iso(r['provider_updated_at']),
    firstObservedAt: iso(r['first_observed_at']) ?? '',
    observedAt: iso(r['last_observed_at']) ?? '',
    version: Number(r['version']),
    reschedules: Number(r['reschedules']),
    cancellations: Number(r['cancellations']),
    noShows: Number(r['no_shows']),
  };
}

export function historyToRow(h: HistoryEntry) {
  const a = h.appointment;
  return {
    event_id: h.eventId,
    workspace_id: a.workspaceId,
    provider: a.provider,
    provider_appointment_id: a.providerAppointmentId,
    lead_id: a.leadId,
    event_type: h.eventType,
    source: a.source,
    observed_at: a.observedAt,
    provider_updated_at: a.providerUpdatedAt,
    start_at: a.startAt,
    end_at: a.endAt,
    status_after: a.status,
    position: h.position,
  };
}
export const HISTORY_COLUMNS = Object.keys(historyToRow({ appointment: {} } as HistoryEntry));

export function leadToRow(s: LeadRowState, position: string) {
  const f = s.fold;
  const c = currentAppointment(f);
  return {
    workspace_id: s.workspaceId,
    lead_id: s.leadId,
    booking_state: f.bookingState,
    booking_state_since: f.bookingStateSince,
    current_provider: c?.provider ?? null,
    current_provider_appointment_id: c?.providerAppointmentId ?? null,
    current_status: c?.status ?? null,
    current_start_at: c?.startAt ?? null,
    current_end_at: c?.endAt ?? null,
    bookings: f.counts.bookings,
    cancellations: f.counts.cancellations,
    reschedules: f.counts.reschedules,
    no_shows: f.counts.noShows,
    sentiment_label: f.sentiment?.label ?? null,
    sentiment_at: f.sentiment?.classifiedAt ?? null,
    last_inbound_at: f.lastInboundAt,
    last_message_direction: f.lastMessageDirection,
    registered: f.registered,
    grade: s.grade?.grade ?? 'unverified',
    grade_evidence: s.grade?.evidence ?? [],
    fold: f,
    memory: {
      tasks: s.tasks,
      resolutions: s.resolutions,
      ...(s.ended === undefined ? {} : { ended: s.ended }),
      openMismatches: s.openMismatches,
      closedMismatches: s.closedMismatches,
      ...(s.counted === undefined ? {} : { counted: s.counted }),
      ...(s.evidenceIds === undefined ? {} : { evidenceIds: s.evidenceIds }),
      ...(s.grade === undefined ? {} : { grade: s.grade }),
    },
    position,
  };
}

/** The lead's last check per provider, one row each (written in the same batch as the lead row). */
export function providerCheckRows(s: LeadRowState, position: string) {
  return checkList(s.fold).map(({ provider, check }) => ({
    workspace_id: s.workspaceId,
    lead_id: s.leadId,
    provider,
    checked_at: check.checkedAt,
    outcome: check.outcome,
    position,
  }));
}
export const PROVIDER_CHECK_COLUMNS = ['workspace_id', 'lead_id', 'provider', 'checked_at', 'outcome', 'position'];

export function rowToLead(r: Record<string, unknown>): LeadRowState {
  const memory = r['memory'] as Pick<
    LeadRowState,
    'tasks' | 'resolutions' | 'ended' | 'openMismatches' | 'closedMismatches' | 'counted' | 'evidenceIds' | 'grade'
  >;
  return {
    workspaceId: r['workspace_id'] as string,
    leadId: r['lead_id'] as string,
    fold: r['fold'] as LeadRowState['fold'],
    ...memory,
  };
}

/** Evaluated at the epoch: the stored gate is clock-free (mayEnroll/mustPause never depend on the clock; readers turn `booked` into `completed`). */
const CLOCK_FREE = '1970-01-01T00:00:00.000Z';

export function gateToRow(s: LeadRowState, rules: WorkspaceRules, position: string) {
  const gate = automationGate(s.fold, rules, CLOCK_FREE);
  const c = currentAppointment(s.fold);
  return {
    workspace_id: s.workspaceId,
    lead_id: s.leadId,
    may_enroll: gate.mayEnroll,
    must_pause: gate.mustPause,
    reason: gate.reason,
    booking_state: s.fold.bookingState,
    current_status: c?.status ?? null,
    current_end_at: c?.endAt ?? null,
    position,
  };
}

function mismatchRow(s: LeadRowState, kind: string, m: OpenMismatch, position: string) {
  const f = s.fold;
  return {
    workspace_id: s.workspaceId,
    lead_id: s.leadId,
    kind,
    since: m.since,
    status: 'open',
    resolved_at: null as string | null,
    resolution: null as string | null,
    auto_corrected: m.autoCorrected,
    evidence: m.evidence,
    sentiment_label: f.sentiment?.label ?? null,
    sentiment_at: f.sentiment?.classifiedAt ?? null,
    last_inbound_at: f.lastInboundAt,
    last_message_direction: f.lastMessageDirection,
    position,
  };
}

/** Open and recently closed mismatch rows of a lead (keyed by lead, kind, since). */
export function mismatchRows(s: LeadRowState, position: string) {
  const open = Object.entries(s.openMismatches).map(([kind, m]) => mismatchRow(s, kind, m as OpenMismatch, position));
  const openKeys = new Set(open.map((r) => `${r.kind}|${r.since}`));
  const closed = s.closedMismatches
    .filter((m) => !openKeys.has(`${m.kind}|${m.since}`))
    .map((m) => ({
      ...mismatchRow(s, m.kind, m, position),
      status: 'closed',
      resolved_at: m.resolvedAt,
      resolution: m.resolution,
    }));
  // The same (kind, since) may close twice in the bounded log: the latest closing wins.
  const byKey = new Map<string, (typeof closed)[number]>();
  for (const r of closed) byKey.set(`${r.kind}|${r.since}`, r);
  return [...open, ...byKey.values()];
}

export function taskRows(s: LeadRowState, position: string) {
  return Object.values(s.tasks).map((t) => {
    const r = taskResolution(s, t.id) ?? undefined;
    return {
      task_id: t.id,
      workspace_id: s.workspaceId,
      lead_id: s.leadId,
      kind: t.kind,
      severity: t.severity,
      provider: t.provider,
      provider_appointment_id: t.providerAppointmentId,
      created_at: t.createdAt,
      status: r === undefined ? 'open' : 'resolved',
      resolved_at: r?.resolvedAt ?? null,
      resolved_by: r?.resolvedBy ?? null,
      note: r?.note ?? null,
      position,
    };
  });
}

/** A lead's contribution to workspace_stats (subtracted before, added after a change). */
export function leadStatContribution(s: LeadRowState): Map<string, number> {
  const m = new Map<string, number>();
  m.set(`state:${s.fold.bookingState}`, 1);
  for (const kind of Object.keys(s.openMismatches)) m.set(`mismatch:${kind}`, 1);
  const open = Object.values(s.tasks).filter((t) => taskResolution(s, t.id) === null);
  if (open.length > 0) m.set('tasks_open', open.length);
  for (const t of open) {
    m.set(`tasks_open:severity:${t.severity}`, (m.get(`tasks_open:severity:${t.severity}`) ?? 0) + 1);
    m.set(`tasks_open:kind:${t.kind}`, (m.get(`tasks_open:kind:${t.kind}`) ?? 0) + 1);
  }
  return m;
}

/** The lead row's columns the lead reads select: all but the fold state (`fold`, `memory`). */
export const LEAD_SUMMARY_COLUMNS = [
  'workspace_id',
  'lead_id',
  'booking_state',
  'booking_state_since',
  'current_provider',
  'current_provider_appointment_id',
  'current_status',
  'current_start_at',
  'current_end_at',
  'bookings',
  'cancellations',
  'reschedules',
  'no_shows',
  'sentiment_label',
  'sentiment_at',
  'last_inbound_at',
  'last_message_direction',
  'registered',
  'grade',
  'grade_evidence',
  'position',
] as const;
/** Every column the core projection writes to lead_lifecycle (the upsert names them; order is free). */
export const LEAD_COLUMNS: readonly string[] = [...LEAD_SUMMARY_COLUMNS, 'fold', 'memory'];
export const GATE_COLUMNS = [
  'workspace_id',
  'lead_id',
  'may_enroll',
  'must_pause',
  'reason',
  'booking_state',
  'current_status',
  'current_end_at',
  'position',
];
export const MISMATCH_COLUMNS = [
  'workspace_id',
  'lead_id',
  'kind',
  'since',
  'status',
  'resolved_at',
  'resolution',
  'auto_corrected',
  'evidence',
  'sentiment_label',
  'sentiment_at',
  'last_inbound_at',
  'last_message_direction',
  'position',
];
export const TASK_COLUMNS = [
  'task_id',
  'workspace_id',
  'lead_id',
  'kind',
  'severity',
  'provider',
  'provider_appointment_id',
  'created_at',
  'status',
  'resolved_at',
  'resolved_by',
  'note',
  'position',
];

export const RULES_COLUMNS = ['workspace_id', 'booked_sentiment_labels', 'auto_correct_sentiment', 'position'] as const;

export function rulesToRow(workspaceId: string, rules: WorkspaceRules, position: string) {
  return {
    workspace_id: workspaceId,
    booked_sentiment_labels: rules.bookedSentimentLabels,
    auto_correct_sentiment: rules.autoCorrectSentiment,
    position,
  };
}

export function rowToRules(r: Record<string, unknown>): WorkspaceRules {
  return {
    bookedSentimentLabels: [...(r['booked_sentiment_labels'] as string[])],
    autoCorrectSentiment: r['auto_correct_sentiment'] as boolean,
  };
}
