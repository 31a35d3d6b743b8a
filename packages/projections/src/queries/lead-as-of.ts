/**
 * Time travel: one lead as recon knew it at an instant, folded from the events *recorded* at or
 * before it (the store's recording time, never a provider's time). The fold is the core
 * projection's own step (`applyCoreEvent`) and the answer goes through the same row mappers and
 * the same row → API mapping as the live read (`leadToRow` … `toLeadSummary`), so "now" and
 * "as of" cannot disagree: folding everything recorded so far gives the live lead.
 *
 * What is read, all bounded by the lead: its own stream, the streams of the appointments linked
 * to it (the `appointments` read model's lead index; a link is never moved to another lead), and
 * the workspace stream (its `WorkspaceRulesChanged` facts: the booked labels in force then).
 * Events the fold does not know are skipped, as live; an event that does not parse (which the
 * live runner dead-letters and skips) is skipped too.
 */
import { appointmentStreamName, DEFAULT_WORKSPACE_RULES, leadStreamName, workspaceStreamName } from '@recon/domain';
import type { Provider, WorkspaceRules } from '@recon/domain';
import type { EventStore, Position, RecordedEvent } from '@recon/eventstore';
import type { Kysely, Selectable } from 'kysely';
import { applyCoreEvent, emptyWorkingSet, leadKey, rulesOf, type StepContext } from '../core/core-step';
import { gateToRow, leadToRow, mismatchRows, providerCheckRows, taskRows } from '../core/core-rows';
import type { LeadLifecycleTable } from '../core/core-tables';
import { parseRecorded } from '../runtime/parse-events';
import { effectiveGate } from './effective-state';
import { toLeadSummary, type LeadDetail } from './lead-queries';
import type { ProjectionsDatabase } from './projections-database';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A row as the core projection writes it (instants as ISO text) → as the database returns it (Dates). */
function asStored<R extends Record<string, unknown>>(row: R): R {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key] =
      typeof value === 'string' && (key.endsWith('_at') || key.endsWith('_since')) && INSTANT.test(value)
        ? new Date(value)
        : value;
  return out as R;
}

function parsedOrSkipped(recorded: RecordedEvent) {
  try {
    return parseRecorded(recorded);
  } catch {
    return null; // a poison event: the live runner dead-letters and skips it
  }
}

export interface LeadAsOfInput {
  readonly workspaceId: string;
  readonly leadId: string;
  /** The events of the lead's streams (any order, duplicates allowed), as the store returns them. */
  readonly recorded: readonly RecordedEvent[];
  readonly asOf: Date;
  /**
   * The reader's clock: clock-dependent answers (a meeting ended → completed, assumed) are
   * evaluated at the earlier of `asOf` and `now` — a time after now is answered as of now, never as
   * a prediction. Default: `asOf`.
   */
  readonly now?: Date;
  readonly comparePositions: (a: Position, b: Position) => number;
  /** Rules of a workspace before its first `WorkspaceRulesChanged` (default: the domain's). */
  readonly rulesFor?: (workspaceId: string) => WorkspaceRules;
}

/** The instant an as-of answer is evaluated at: `asOf`, or `now` when `asOf` is later. */
export function asOfEvaluatedAt(asOf: Date, now: Date | undefined): Date {
  return now !== undefined && now.getTime() < asOf.getTime() ? now : asOf;
}

/**
 * The pure part: the lead as of `asOf` from its streams' events, or null when no event recorded
 * by then touched it. Clock-dependent answers are evaluated at `asOfEvaluatedAt(asOf, now)`.
 */
export function foldLeadAsOf(input: LeadAsOfInput): LeadDetail | null {
  const cutoff = input.asOf.getTime();
  const at = asOfEvaluatedAt(input.asOf, input.now);
  const seen = new Set<string>();
  const events = input.recorded
    .filter((e) => e.recordedAt.getTime() <= cutoff && !seen.has(e.id) && seen.add(e.id))
    .sort((a, b) => input.comparePositions(a.position, b.position));
  const ctx: StepContext = {
    comparePositions: input.comparePositions,
    rulesFor: input.rulesFor ?? (() => DEFAULT_WORKSPACE_RULES),
    ordered: true,
  };
  const ws = emptyWorkingSet();
  for (const recorded of events) {
    const parsed = parsedOrSkipped(recorded);
    if (parsed !== null) applyCoreEvent(ws, recorded.id, recorded.position, parsed.event, ctx, recorded.recordedAt);
  }
  const lead = ws.leads.get(leadKey(input.workspaceId, input.leadId));
  if (lead === undefined || lead.position === null) return null;
  const s = lead.state;
  const position = lead.position;
  const row = asStored(leadToRow(s, position)) as unknown as Selectable<LeadLifecycleTable>;
  const checks = providerCheckRows(s, position).map((c) => ({ ...c, checked_at: new Date(c.checked_at) }));
  const gate = asStored(gateToRow(s, rulesOf(ws, input.workspaceId, ctx), position));
  const mismatches = mismatchRows(s, position)
    .filter((m) => m.status === 'open')
    .sort((a, b) => a.since.localeCompare(b.since) || a.kind.localeCompare(b.kind));
  const tasks = taskRows(s, position)
    .filter((t) => t.status === 'open')
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.task_id.localeCompare(b.task_id));
  return {
    ...toLeadSummary(row, checks, at),
    mismatches: mismatches.map((m) => ({ kind: m.kind, since: new Date(m.since).toISOString() })),
    openTasks: tasks.map((t) => ({ id: t.task_id, kind: t.kind, severity: t.severity })),
    gate: effectiveGate(gate as Parameters<typeof effectiveGate>[0], at),
  };
}

/**
 * The lead as of `asOf`, read from the store (through whatever decorator the app's store is: the
 * sealing store opens sealed fields, an erased lead's stay empty). Null: unknown at that time.
 */
export async function getLeadAsOf(
  db: Kysely<ProjectionsDatabase>,
  store: EventStore,
  query: { readonly workspaceId: string; readonly leadId: string; readonly asOf: Date; readonly now?: Date },
): Promise<LeadDetail | null> {
  const { workspaceId, leadId } = query;
  const appointments = await db
    .selectFrom('appointments')
    .select(['provider', 'provider_appointment_id'])
    .where('workspace_id', '=', workspaceId)
    .where('lead_id', '=', leadId)
    .execute();
  const streams = [
    leadStreamName(workspaceId, leadId),
    workspaceStreamName(workspaceId),
    ...appointments.map((a) => appointmentStreamName(workspaceId, a.provider as Provider, a.provider_appointment_id)),
  ];
  const read = await Promise.all([...new Set(streams)].map((s) => store.readStream(s)));
  return foldLeadAsOf({
    workspaceId,
    leadId,
    recorded: read.flat(),
    asOf: query.asOf,
    ...(query.now === undefined ? {} : { now: query.now }),
    comparePositions: (a, b) => store.comparePositions(a, b),
  });
}
