/**
 * The core projection's in-memory replay for rebuilds: the whole log folded once with the same
 * step as live batches (`applyCoreEvent`), the working set kept across pages, and the tables'
 * final rows produced at the end, row for row what `applyBatch` leaves after the same events:
 * - appointment_history is append-only: its rows leave with every page (an event id the store
 *   returned twice keeps its first row: see build-indexes);
 * - workspace_stats are the sum of the final contributions (rows summing to 0 are not written);
 * - a closed mismatch that falls off a lead's bounded closed list keeps the row its last write
 *   left (the lead as it was before the event that pushed it out), as live batches leave it.
 * Leads and appointments live in ColdMaps (the least recently used as JSON text), so a large log
 * neither outgrows the memory nor makes every garbage collection trace every lead. The final rows
 * come in one pass over the leads: the lead rows stream out while the rows of the lead's other
 * tables are collected, loaded right after (tables are loaded in the order given).
 */
import type { Position } from '@recon/eventstore';
import { ColdMap } from '../runtime/cold-map';
import { copyLine } from '../runtime/copy-rows';
import { PoisonEventError, type MemoryReplay, type ReplayContext, type TableRows } from '../runtime/projection';
import {
  applyCoreEvent,
  emptyWorkingSet,
  rulesOf,
  type CoreWorkingSet,
  type StepContext,
  type Versioned,
} from './core-step';
import type { AppointmentRowState } from './appointment-row';
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
import { dayCounterRows } from './lead-state-days';

type MismatchRow = ReturnType<typeof mismatchRows>[number];

const mismatchKey = (r: MismatchRow) => `${r.kind}|${r.since}`;

/** Rows kept as objects (the rest as JSON text, see ColdMap). */
const HOT_LEADS = 10_000;
const HOT_APPOINTMENTS = 20_000;

type Row = Readonly<Record<string, unknown>>;

export function coreReplay(ctx: ReplayContext): MemoryReplay {
  const ws: CoreWorkingSet = {
    ...emptyWorkingSet(),
    leads: new ColdMap<Versioned<LeadRowState>>(ctx.hotRows ?? HOT_LEADS),
    appointments: new ColdMap<Versioned<AppointmentRowState>>(ctx.hotRows ?? HOT_APPOINTMENTS),
  };
  /** Per lead key: mismatch rows no longer in the lead's state, by (kind, since). */
  const archived = new Map<string, Map<string, MismatchRow>>();
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
          applyCoreEvent(ws, e.recorded.id, e.recorded.position, e.event, step, e.recorded.recordedAt);
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
      const rows = ws.history.map(historyToRow);
      ws.history.length = 0;
      return [{ table: 'appointment_history', columns: HISTORY_COLUMNS, rows }];
    },
    finalRows(): TableRows[] {
      const stats = new Map<string, number>();
      const add = (workspaceId: string, metric: string, n: number) => {
        const key = `${workspaceId}\u0000${metric}`;
        stats.set(key, (stats.get(key) ?? 0) + n);
      };
      // Collected while the lead rows stream out: as COPY lines when loading with COPY (compact).
      const side = (columns: readonly string[]) => {
        const arrays = columns.map(() => false);
        const rows: Row[] = [];
        const lines: string[] = [];
        return {
          columns,
          push: (row: Row) => (ctx.copy === true ? lines.push(copyLine(row, columns, arrays)) : rows.push(row)),
          table: (table: string): TableRows =>
            ctx.copy === true ? { table, columns, lines } : { table, columns, rows },
        };
      };
      const checks = side(PROVIDER_CHECK_COLUMNS);
      const gates = side(GATE_COLUMNS);
      const mismatches = side(MISMATCH_COLUMNS);
      const tasks = side(TASK_COLUMNS);
      function* leads(): Generator<Row> {
        for (const [key, v] of ws.leads) {
          if (v.position === null) continue;
          const s = v.state;
          for (const [metric, n] of leadStatContribution(s)) add(s.workspaceId, metric, n);
          for (const r of providerCheckRows(s, v.position)) checks.push(r);
          gates.push(gateToRow(s, rulesOf(ws, s.workspaceId, step), v.position));
          for (const r of leadMismatches(key, v)) mismatches.push(r);
          for (const r of taskRows(s, v.position)) tasks.push(r);
          yield leadToRow(s, v.position);
        }
      }
      function* appointments(): Generator<Row> {
        for (const [, v] of ws.appointments) {
          if (v.position === null) continue;
          if (v.state.leadId === null) add(v.state.workspaceId, 'unmatched_bookings', 1);
          yield appointmentToRow(v.state, v.position);
        }
      }
      function* statRows(): Generator<Row> {
        for (const [key, value] of stats) {
          const [workspace_id, metric] = key.split('\u0000');
          if (value !== 0) yield { workspace_id, metric, value };
        }
      }
      function* rules(): Generator<Row> {
        for (const [w, v] of ws.rules) if (v.position !== null) yield rulesToRow(w, v.state, v.position);
      }
      // In this order: the lead pass fills the next four, the lead and appointment passes the stats.
      return [
        { table: 'lead_lifecycle', columns: LEAD_COLUMNS, rows: { [Symbol.iterator]: leads } },
        checks.table('lead_provider_checks'),
        gates.table('automation_gates'),
        mismatches.table('mismatches'),
        tasks.table('follow_up_tasks'),
        { table: 'appointments', columns: APPOINTMENT_COLUMNS, rows: { [Symbol.iterator]: appointments } },
        {
          table: 'workspace_stats',
          columns: ['workspace_id', 'metric', 'value'],
          rows: { [Symbol.iterator]: statRows },
        },
        { table: 'workspace_rules', columns: RULES_COLUMNS, rows: { [Symbol.iterator]: rules } },
        {
          table: 'lead_state_days',
          columns: ['workspace_id', 'day', 'state', 'value'],
          rows: dayCounterRows(ws.stateDays),
        },
      ];
    },
  };
}
