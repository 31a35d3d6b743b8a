/**
 * The core projection's in-memory replay for rebuilds: the whole log folded once with the same
 * step as live batches (`applyCoreEvent`), the working set kept across pages, and the tables'
 * final rows produced at the end, row for row what `applyBatch` leaves after the same events:
 * - appointment_history is append-only: its rows leave with every page;
 * - workspace_stats are the sum of the final contributions (rows summing to 0 are not written);
 * - a closed mismatch that falls off a lead's bounded closed list keeps the row its last write
 *   left (the lead as it was before the event that pushed it out), as live batches leave it.
 */
import type { Position } from '@recon/eventstore';
import { PoisonEventError, type MemoryReplay, type ReplayContext, type TableRows } from '../runtime/projection';
import { applyCoreEvent, emptyWorkingSet, rulesOf, type StepContext, type Versioned } from './core-step';
import {
  APPOINTMENT_COLUMNS,
  appointmentToRow,
  GATE_COLUMNS,
  gateToRow,
  HISTORY_COLUMNS,
  historyToRow,
  LEAD_COLUMNS,
  leadStatContribution,
  leadToRow,
  MISMATCH_COLUMNS,
  mismatchRows,
  PROVIDER_CHECK_COLUMNS,
  providerCheckRows,
  RULES_COLUMNS,
  rulesToRow,
  TASK_COLUMNS,
  taskRows,
} from './core-rows';
import { MAX_CLOSED_MISMATCHES, type LeadRowState } from './lead-row';

type MismatchRow = ReturnType<typeof mismatchRows>[number];

const mismatchKey = (r: MismatchRow) => `${r.kind}|${r.since}`;

function* flat<T, R>(items: Iterable<T>, rows: (item: T) => Iterable<R>): Generator<R> {
  for (const item of items) yield* rows(item);
}

export function coreReplay(ctx: ReplayContext): MemoryReplay {
  const ws = emptyWorkingSet();
  /** Per lead key: mismatch rows no longer in the lead's state, by (kind, since). */
  const archived = new Map<string, Map<string, MismatchRow>>();
  const historyIds = new Set<string>();
  const archive = (key: string, before: Versioned<LeadRowState> | undefined, after: Versioned<LeadRowState>) => {
    if (before === undefined || before.position === null) return;
    const closed = after.state.closedMismatches;
    if (closed === before.state.closedMismatches || closed.length < MAX_CLOSED_MISMATCHES) return;
    const kept = new Set(mismatchRows(after.state, '').map(mismatchKey));
    for (const r of mismatchRows(before.state, before.position)) {
      if (kept.has(mismatchKey(r))) continue;
      let rows = archived.get(key);
      if (rows === undefined) archived.set(key, (rows = new Map()));
      rows.set(mismatchKey(r), r);
    }
  };
  const step: StepContext = {
    comparePositions: () => {
      throw new Error('an ordered replay compares no positions');
    },
    rulesFor: ctx.rulesFor,
    ordered: true,
    onLeadEvolved: archive,
  };
  const leadMismatches = (key: string, v: Versioned<LeadRowState>): MismatchRow[] => {
    const rows = mismatchRows(v.state, v.position as Position);
    const old = archived.get(key);
    if (old === undefined) return rows;
    const present = new Set(rows.map(mismatchKey));
    return [...rows, ...[...old.values()].filter((r) => !present.has(mismatchKey(r)))];
  };
  return {
    apply(events) {
      for (const e of events) {
        try {
          applyCoreEvent(ws, e.recorded.id, e.recorded.position, e.event, step);
        } catch (error) {
          throw new PoisonEventError(
            e.recorded,
            'PROJECTION_HANDLER_FAILED',
            error instanceof Error ? error.message : String(error),
          );
        }
      }
      ws.dirtyLeads.clear();
      ws.dirtyAppointments.clear();
      ws.dirtyRules.clear();
    },
    takeFinalRows() {
      const rows: Record<string, unknown>[] = [];
      for (const h of ws.history) {
        // The live insert ignores an event id already written (a store that stored an event twice).
        if (historyIds.has(h.eventId)) continue;
        historyIds.add(h.eventId);
        rows.push(historyToRow(h));
      }
      ws.history.length = 0;
      return [{ table: 'appointment_history', columns: HISTORY_COLUMNS, rows }];
    },
    finalRows(): TableRows[] {
      const leads = [...ws.leads].filter(([, v]) => v.position !== null) as [string, Versioned<LeadRowState>][];
      const appointments = [...ws.appointments.values()].filter((v) => v.position !== null);
      const stats = new Map<string, number>();
      const add = (workspaceId: string, metric: string, n: number) => {
        const key = `${workspaceId}\u0000${metric}`;
        stats.set(key, (stats.get(key) ?? 0) + n);
      };
      for (const [, v] of leads)
        for (const [metric, n] of leadStatContribution(v.state)) add(v.state.workspaceId, metric, n);
      for (const v of appointments) if (v.state.leadId === null) add(v.state.workspaceId, 'unmatched_bookings', 1);
      const position = (v: Versioned<unknown>) => v.position as Position;
      return [
        {
          table: 'lead_lifecycle',
          columns: LEAD_COLUMNS,
          rows: flat(leads, ([, v]) => [leadToRow(v.state, position(v))]),
        },
        {
          table: 'lead_provider_checks',
          columns: PROVIDER_CHECK_COLUMNS,
          rows: flat(leads, ([, v]) => providerCheckRows(v.state, position(v))),
        },
        {
          table: 'automation_gates',
          columns: GATE_COLUMNS,
          rows: flat(leads, ([, v]) => [gateToRow(v.state, rulesOf(ws, v.state.workspaceId, step), position(v))]),
        },
        { table: 'mismatches', columns: MISMATCH_COLUMNS, rows: flat(leads, ([key, v]) => leadMismatches(key, v)) },
        {
          table: 'follow_up_tasks',
          columns: TASK_COLUMNS,
          rows: flat(leads, ([, v]) => taskRows(v.state, position(v))),
        },
        {
          table: 'appointments',
          columns: APPOINTMENT_COLUMNS,
          rows: flat(appointments, (v) => [appointmentToRow(v.state, position(v))]),
        },
        {
          table: 'workspace_stats',
          columns: ['workspace_id', 'metric', 'value'],
          rows: flat(stats, ([key, value]) => {
            const [workspace_id, metric] = key.split('\u0000');
            return value === 0 ? [] : [{ workspace_id, metric, value }];
          }),
        },
        {
          table: 'workspace_rules',
          columns: RULES_COLUMNS,
          rows: flat(ws.rules, ([w, v]) => (v.position === null ? [] : [rulesToRow(w, v.state, v.position)])),
        },
      ];
    },
  };
}
