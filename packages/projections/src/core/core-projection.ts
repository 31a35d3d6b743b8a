/**
 * The `core` projection: appointments (+ history), lead lifecycle, mismatches, follow-up tasks,
 * automation gates and workspace stats. A batch loads the rows its events touch (one select per
 * table), folds the events in memory with the domain's folds, then writes each table with one
 * set-based statement and the stats as summed deltas. Rows carry the last applied position: a
 * replayed event changes nothing.
 */
import { APPOINTMENT_STREAM_PREFIX, LEAD_STREAM_PREFIX, WORKSPACE_STREAM_PREFIX } from '@recon/domain';
import type { Position } from '@recon/eventstore';
import { sql, type Transaction } from 'kysely';
import type { BatchContext, ProjectedEvent, Projection, ProjectionChange } from '../runtime/projection';
import { PoisonEventError } from '../runtime/projection';
import {
  addToCountersStatement,
  executeAll,
  insertIgnoringDuplicatesStatement,
  selectByKeys,
  upsertStatement,
} from '../runtime/set-writes';
import { automationGate } from '@recon/domain';
import { appointmentKey } from './appointment-row';
import { applyCoreEvent, appointmentKeysOf, emptyWorkingSet, leadKey, rulesOf } from './core-step';
import {
  APPOINTMENT_COLUMNS,
  appointmentToRow,
  GATE_COLUMNS,
  gateToRow,
  HISTORY_COLUMNS,
  historyToRow,
  LEAD_COLUMNS,
  leadStatContribution,
  PROVIDER_CHECK_COLUMNS,
  providerCheckRows,
  leadToRow,
  MISMATCH_COLUMNS,
  mismatchRows,
  rowToAppointment,
  rowToLead,
  rowToRules,
  RULES_COLUMNS,
  rulesToRow,
  TASK_COLUMNS,
  taskRows,
} from './core-rows';
import { coreReplay } from './core-replay';
import { dayCounterRows } from './lead-state-days';
import { CORE_TABLES, coreTablesDdl } from './core-tables';
import type { LeadRowState } from './lead-row';

type Trx = Transaction<unknown>;

async function load(trx: Trx, events: readonly ProjectedEvent[], ctx: BatchContext) {
  const ws = emptyWorkingSet();
  const apptKeys = new Map<string, string[]>();
  for (const e of events) for (const k of appointmentKeysOf(e.event)) apptKeys.set(k.join('\u0000'), k);
  const apptRows = await selectByKeys<Record<string, unknown>>(
    trx,
    ctx.schema,
    'appointments',
    ['workspace_id', 'provider', 'provider_appointment_id'],
    [...apptKeys.values()],
    ctx.written,
  );
  const leadKeys = new Map<string, string[]>();
  for (const r of apptRows) {
    const a = rowToAppointment(r);
    ws.appointments.set(appointmentKey(a.workspaceId, a.provider, a.providerAppointmentId), {
      state: a,
      position: r['position'] as Position,
    });
    if (a.leadId !== null) leadKeys.set(leadKey(a.workspaceId, a.leadId), [a.workspaceId, a.leadId]);
  }
  const workspaces = new Set<string>();
  const rulesChanged = new Set<string>();
  for (const e of events) {
    const d = e.event.data as { workspaceId: string; leadId?: string | null };
    workspaces.add(d.workspaceId);
    if (e.event.type === 'WorkspaceRulesChanged') rulesChanged.add(d.workspaceId);
    else if (d.leadId !== null && d.leadId !== undefined)
      leadKeys.set(leadKey(d.workspaceId, d.leadId), [d.workspaceId, d.leadId]);
  }
  const leadRows = await selectByKeys<Record<string, unknown>>(
    trx,
    ctx.schema,
    'lead_lifecycle',
    ['workspace_id', 'lead_id'],
    [...leadKeys.values()],
    ctx.written,
  );
  if (rulesChanged.size > 0) {
    // A rules change re-evaluates every lead of its workspace: all of them are loaded.
    const t = sql.table(`${ctx.schema}.lead_lifecycle`);
    const all = await sql<
      Record<string, unknown>
    >`SELECT * FROM ${t} WHERE workspace_id = ANY(${[...rulesChanged]}::text[])`.execute(trx);
    leadRows.push(...all.rows);
  }
  const before = new Map<string, LeadRowState>();
  for (const r of leadRows) {
    const lead = rowToLead(r);
    const key = leadKey(lead.workspaceId, lead.leadId);
    if (ws.leads.has(key)) continue;
    ws.leads.set(key, { state: lead, position: r['position'] as Position });
    before.set(key, lead);
  }
  const ruleRows = await selectByKeys<Record<string, unknown>>(
    trx,
    ctx.schema,
    'workspace_rules',
    ['workspace_id'],
    [...workspaces].map((w) => [w]),
    ctx.written,
  );
  for (const r of ruleRows)
    ws.rules.set(r['workspace_id'] as string, { state: rowToRules(r), position: r['position'] as Position });
  const rulesBefore = new Map([...ws.rules].map(([w, v]) => [w, v.state]));
  const unmatchedBefore = new Map<string, boolean>();
  for (const [key, v] of ws.appointments) unmatchedBefore.set(key, v.state.leadId === null);
  return { ws, before, unmatchedBefore, rulesBefore };
}

function addAll(
  target: Map<string, number>,
  workspaceId: string,
  contribution: Map<string, number>,
  sign: 1 | -1,
): void {
  for (const [metric, n] of contribution) {
    const key = `${workspaceId}\u0000${metric}`;
    target.set(key, (target.get(key) ?? 0) + sign * n);
  }
}

async function applyBatch(
  trx: Trx,
  events: readonly ProjectedEvent[],
  ctx: BatchContext,
): Promise<readonly ProjectionChange[]> {
  const { ws, before, unmatchedBefore, rulesBefore } = await load(trx, events, ctx);
  for (const e of events) {
    try {
      applyCoreEvent(ws, e.recorded.id, e.recorded.position, e.event, ctx, e.recorded.recordedAt);
    } catch (error) {
      throw new PoisonEventError(
        e.recorded,
        'PROJECTION_HANDLER_FAILED',
        error instanceof Error ? error.message : String(error),
      );
    }
  }
  const changes: ProjectionChange[] = [];
  const deltas = new Map<string, number>();
  const leads: object[] = [];
  const providerChecks: object[] = [];
  const gates: object[] = [];
  const mismatches: object[] = [];
  const tasks: object[] = [];
  for (const key of ws.dirtyLeads) {
    const v = ws.leads.get(key);
    if (v === undefined || v.position === null) continue;
    const s = v.state;
    const rules = rulesOf(ws, s.workspaceId, ctx);
    leads.push(leadToRow(s, v.position));
    providerChecks.push(...providerCheckRows(s, v.position));
    const gate = gateToRow(s, rules, v.position);
    gates.push(gate);
    mismatches.push(...mismatchRows(s, v.position));
    tasks.push(...taskRows(s, v.position));
    const prev = before.get(key);
    if (prev !== undefined) addAll(deltas, s.workspaceId, leadStatContribution(prev), -1);
    addAll(deltas, s.workspaceId, leadStatContribution(s), 1);
    const afterSummary = { bookingState: s.fold.bookingState, mayEnroll: gate.may_enroll, mustPause: gate.must_pause };
    const wasGate =
      prev === undefined
        ? null
        : automationGate(
            prev.fold,
            rulesBefore.get(s.workspaceId) ?? ctx.rulesFor(s.workspaceId),
            '1970-01-01T00:00:00.000Z',
          );
    const beforeSummary =
      prev === undefined || wasGate === null
        ? null
        : { bookingState: prev.fold.bookingState, mayEnroll: wasGate.mayEnroll, mustPause: wasGate.mustPause };
    if (JSON.stringify(beforeSummary) !== JSON.stringify(afterSummary)) {
      changes.push({
        kind: 'lead-changed',
        workspaceId: s.workspaceId,
        leadId: s.leadId,
        before: beforeSummary,
        after: afterSummary,
      });
    }
    for (const t of Object.values(s.tasks)) {
      const openNow = s.resolutions[t.id] === undefined;
      const openBefore = prev !== undefined && prev.tasks[t.id] !== undefined && prev.resolutions[t.id] === undefined;
      if (openNow && !openBefore) {
        changes.push({
          kind: 'task-opened',
          workspaceId: s.workspaceId,
          leadId: s.leadId,
          taskId: t.id,
          taskKind: t.kind,
          severity: t.severity,
        });
      }
    }
  }
  const appointments: object[] = [];
  for (const key of ws.dirtyAppointments) {
    const v = ws.appointments.get(key);
    if (v === undefined || v.position === null) continue;
    appointments.push(appointmentToRow(v.state, v.position));
    const was = unmatchedBefore.get(key);
    const now = v.state.leadId === null;
    const delta = (now ? 1 : 0) - (was === true ? 1 : 0);
    if (delta !== 0) addAll(deltas, v.state.workspaceId, new Map([['unmatched_bookings', delta]]), 1);
  }
  const stats = [...deltas]
    .filter(([, n]) => n !== 0)
    .map(([k, n]) => {
      const [workspace_id, metric] = k.split('\u0000');
      return { workspace_id, metric, value: n };
    });
  const rulesRows: object[] = [];
  for (const w of ws.dirtyRules) {
    const v = ws.rules.get(w);
    if (v !== undefined && v.position !== null) rulesRows.push(rulesToRow(w, v.state, v.position));
  }
  const s = ctx.schema;
  const days = dayCounterRows(ws.stateDays);
  // Every table of the batch in one round trip (one statement, one CTE per table).
  await executeAll(trx, [
    upsertStatement(
      s,
      'appointments',
      ['workspace_id', 'provider', 'provider_appointment_id'],
      APPOINTMENT_COLUMNS,
      appointments,
    ),
    insertIgnoringDuplicatesStatement(s, 'appointment_history', HISTORY_COLUMNS, ws.history.map(historyToRow)),
    upsertStatement(s, 'lead_lifecycle', ['workspace_id', 'lead_id'], LEAD_COLUMNS, leads),
    upsertStatement(
      s,
      'lead_provider_checks',
      ['workspace_id', 'lead_id', 'provider'],
      PROVIDER_CHECK_COLUMNS,
      providerChecks,
    ),
    upsertStatement(s, 'automation_gates', ['workspace_id', 'lead_id'], GATE_COLUMNS, gates),
    upsertStatement(s, 'mismatches', ['workspace_id', 'lead_id', 'kind', 'since'], MISMATCH_COLUMNS, mismatches),
    upsertStatement(s, 'follow_up_tasks', ['task_id'], TASK_COLUMNS, tasks),
    addToCountersStatement(s, 'workspace_stats', ['workspace_id', 'metric'], 'value', stats),
    addToCountersStatement(s, 'lead_state_days', ['workspace_id', 'day', 'state'], 'value', days),
    upsertStatement(s, 'workspace_rules', ['workspace_id'], RULES_COLUMNS, rulesRows),
  ]);
  // A day counter back at 0 is no row, as a rebuild leaves it (the upsert above must have run first).
  if (days.length > 0) {
    const t = sql.table(`${s}.lead_state_days`);
    await sql`DELETE FROM ${t} WHERE value = 0 AND (workspace_id, day, state) IN (
      SELECT workspace_id, day, state FROM jsonb_populate_recordset(NULL::${t}, ${JSON.stringify(days)}::jsonb))`.execute(
      trx,
    );
  }
  return changes;
}

export const coreProjection: Projection = {
  name: 'core',
  // 2: workspace_rules, and the workspace stream (`WorkspaceRulesChanged` re-evaluates the workspace's leads).
  // 3: provider checks as rows of lead_provider_checks (no per-provider columns); the fold keys checks by provider.
  // 5: lead_state_days (the daily lead-state series), `counted` in the lead row's memory, open tasks by severity and kind.
  // 6: the verification grade and its evidence (grade, grade_evidence; evidence ids in the row's memory).
  version: 6,
  streamPrefixes: [LEAD_STREAM_PREFIX, APPOINTMENT_STREAM_PREFIX, WORKSPACE_STREAM_PREFIX],
  tables: CORE_TABLES,
  ddl: coreTablesDdl,
  replay: coreReplay,
  applyBatch,
};
