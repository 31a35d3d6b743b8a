/**
 * One event applied to the in-memory working set of the core projection: the appointment row,
 * its history entry and the lead row of the lead the appointment belongs to. Shared by the batch
 * handler (which loads the touched rows first and writes them back after) and by `foldHistory`,
 * the pure fold the tests compare the tables with.
 */
import type { ReconEvent, WorkspaceEvent, WorkspaceRules } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { appointmentKey, evolveAppointmentRow, type AppointmentRowState } from './appointment-row';
import { eventTime, evolveLeadRow, initialLeadRow, reevaluateLeadRow, type LeadRowState } from './lead-row';
import { addDayDeltas, countLead, factTime } from './lead-state-days';

export interface Versioned<S> {
  state: S;
  /** Last applied position (null: never applied). */
  position: Position | null;
}

export interface HistoryEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly position: Position;
  readonly appointment: AppointmentRowState;
}

export interface CoreWorkingSet {
  readonly appointments: Map<string, Versioned<AppointmentRowState>>;
  readonly leads: Map<string, Versioned<LeadRowState>>;
  readonly history: HistoryEntry[];
  /** Workspace rules as folded from `WorkspaceRulesChanged` (a workspace without one: `ctx.rulesFor`). */
  readonly rules: Map<string, Versioned<WorkspaceRules>>;
  readonly dirtyAppointments: Set<string>;
  readonly dirtyLeads: Set<string>;
  readonly dirtyRules: Set<string>;
  /** Daily lead-state counter changes (lead-state-days.ts), keyed `workspace \0 day \0 state`. */
  readonly stateDays: Map<string, number>;
}

export function emptyWorkingSet(): CoreWorkingSet {
  return {
    appointments: new Map(),
    leads: new Map(),
    history: [],
    rules: new Map(),
    dirtyAppointments: new Set(),
    dirtyLeads: new Set(),
    dirtyRules: new Set(),
    stateDays: new Map(),
  };
}

export function leadKey(workspaceId: string, leadId: string): string {
  return `${workspaceId}\u0000${leadId}`;
}

export interface StepContext {
  readonly comparePositions: (a: Position, b: Position) => number;
  /** Rules of a workspace that has no `WorkspaceRulesChanged` in the log yet. */
  readonly rulesFor: (workspaceId: string) => WorkspaceRules;
  /**
   * Every event comes once, in global order, after everything already in the working set (a
   * rebuild's in-memory replay from the start): the per-row position guard is skipped.
   */
  readonly ordered?: boolean;
  /** Told of every lead row an event changed, with the row before (undefined: new). */
  readonly onLeadEvolved?: (
    key: string,
    before: Versioned<LeadRowState> | undefined,
    after: Versioned<LeadRowState>,
  ) => void;
}

/** The rules in force for a workspace at this point of the fold: the last folded change, else `ctx.rulesFor`. */
export function rulesOf(ws: CoreWorkingSet, workspaceId: string, ctx: StepContext): WorkspaceRules {
  return ws.rules.get(workspaceId)?.state ?? ctx.rulesFor(workspaceId);
}

function applied(v: Versioned<unknown> | undefined, position: Position, ctx: StepContext): boolean {
  if (ctx.ordered === true) return false;
  return v !== undefined && v.position !== null && ctx.comparePositions(position, v.position) <= 0;
}

/** The lead row as evolved, counted in the daily state counters as of the event's fact time. */
function counted(ws: CoreWorkingSet, row: LeadRowState, at: string): LeadRowState {
  const { row: next, deltas } = countLead(row, at);
  addDayDeltas(ws.stateDays, row.workspaceId, deltas);
  return next;
}

function applyToLead(
  ws: CoreWorkingSet,
  workspaceId: string,
  leadId: string,
  event: ReconEvent,
  position: Position,
  ctx: StepContext,
  at: string,
  eventId: string,
): void {
  const key = leadKey(workspaceId, leadId);
  const current = ws.leads.get(key);
  if (applied(current, position, ctx)) return;
  const state = current?.state ?? initialLeadRow(workspaceId, leadId);
  const next = {
    state: counted(ws, evolveLeadRow(state, event, rulesOf(ws, workspaceId, ctx), eventId), at),
    position,
  };
  ws.leads.set(key, next);
  ws.dirtyLeads.add(key);
  ctx.onLeadEvolved?.(key, current, next);
}

/** Keys of the appointment rows an event touches. */
export function appointmentKeysOf(event: ReconEvent | WorkspaceEvent): string[][] {
  if (!event.type.startsWith('Appointment')) return [];
  const d = event.data as { workspaceId: string; provider: string; providerAppointmentId: string };
  return [[d.workspaceId, d.provider, d.providerAppointmentId]];
}

export function applyCoreEvent(
  ws: CoreWorkingSet,
  eventId: string,
  position: Position,
  event: ReconEvent | WorkspaceEvent,
  ctx: StepContext,
  recordedAt?: Date,
): void {
  // When the fact happened at its source (never after its recording): the daily counters' day.
  const at = factTime(event, recordedAt?.toISOString() ?? eventTime(event));
  switch (event.type) {
    case 'WorkspaceRulesChanged': {
      // The new rules re-evaluate every lead of the workspace the working set holds (the batch
      // handler loads them all for such an event), as of this event.
      const d = event.data;
      if (applied(ws.rules.get(d.workspaceId), position, ctx)) return;
      const rules: WorkspaceRules = {
        bookedSentimentLabels: [...d.bookedSentimentLabels],
        autoCorrectSentiment: d.autoCorrectSentiment,
      };
      ws.rules.set(d.workspaceId, { state: rules, position });
      ws.dirtyRules.add(d.workspaceId);
      for (const [key, lead] of ws.leads) {
        if (lead.state.workspaceId !== d.workspaceId || applied(lead, position, ctx)) continue;
        const next = { state: counted(ws, reevaluateLeadRow(lead.state, event, rules), at), position };
        ws.leads.set(key, next);
        ws.dirtyLeads.add(key);
        ctx.onLeadEvolved?.(key, lead, next);
      }
      return;
    }
    case 'AppointmentBooked':
    case 'AppointmentRescheduled':
    case 'AppointmentCanceled':
    case 'AppointmentAttended':
    case 'AppointmentNoShowMarked':
    case 'AppointmentNoShowRetracted':
    case 'AppointmentLinkedToLead':
    case 'AppointmentVersionObserved':
    case 'AppointmentMarkedInvalid':
    case 'AppointmentOutcomeUnknown':
    case 'AppointmentRescheduleUnconfirmed': {
      const d = event.data;
      const key = appointmentKey(d.workspaceId, d.provider, d.providerAppointmentId);
      const current = ws.appointments.get(key);
      if (applied(current, position, ctx)) return;
      const next = evolveAppointmentRow(current?.state, event);
      ws.appointments.set(key, { state: next, position });
      ws.dirtyAppointments.add(key);
      ws.history.push({ eventId, eventType: event.type, position, appointment: next });
      // Routed by the appointment's lead: an event written without the lead still reaches it once linked.
      if (next.leadId !== null) applyToLead(ws, d.workspaceId, next.leadId, event, position, ctx, at, eventId);
      return;
    }
    case 'LeadRegistered':
    case 'LeadContactChanged':
    case 'LeadSentimentClassified':
    case 'LeadInboundActivityRecorded':
    case 'LeadProviderChecked':
    case 'FollowUpTaskResolved':
    case 'LeadContactErased':
    case 'LeadBookedLabelUnverified':
      applyToLead(ws, event.data.workspaceId, event.data.leadId, event, position, ctx, at, eventId);
      return;
    default: {
      const never: never = event;
      throw new Error(`unhandled event ${(never as { type: string }).type}`);
    }
  }
}

/** The pure fold over a whole history (global order): what the core tables must equal. */
export function foldHistory(
  events: readonly { readonly id: string; readonly position: Position; readonly event: ReconEvent | WorkspaceEvent }[],
  ctx: StepContext,
): CoreWorkingSet {
  const ws = emptyWorkingSet();
  for (const e of events) applyCoreEvent(ws, e.id, e.position, e.event, ctx);
  return ws;
}
