/**
 * Test support for the delivery storm: what one workspace ended up with, in a form two workspaces
 * can be compared in — its events (stream, type, data) and its read-model rows, with the workspace
 * id replaced by `<ws>` and the columns that only say *when* or *in which order* rows were written
 * (store positions, ids derived from the workspace id) left out. Rows are keyed by lead so a
 * difference can be traced to the leads (and providers) it concerns.
 */
import { START, type EventStore } from '@recon/eventstore';
import { sql, type Kysely } from 'kysely';

export interface StoredEvent {
  readonly streamName: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
}

/** Every event of the store, grouped by the workspace in its data (one read of the whole log). */
export async function eventsByWorkspace(store: EventStore): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  let from = START;
  for (;;) {
    const page = await store.readAll(from, 5000);
    for (const e of page.events) {
      const ws = (e.data as { workspaceId?: unknown }).workspaceId;
      if (typeof ws !== 'string') continue;
      const list = out.get(ws) ?? [];
      list.push({ streamName: e.streamName, type: e.type, data: e.data as Record<string, unknown> });
      out.set(ws, list);
    }
    if (page.events.length === 0) return out;
    from = page.next;
  }
}

/**
 * Never compared: store positions, ids derived from the workspace id, the closed mismatches the
 * lead's projection memory keeps (see TABLE_RULES), and an appointment's `version` (its stream's
 * length, which counts the bookkeeping events an out-of-order arrival adds).
 */
export const DROPPED: ReadonlySet<string> = new Set([
  'position',
  'task_id',
  'event_id',
  'closedMismatches',
  'version',
  // Since when the daily counters count a lead: recording times, which differ between delivery orders.
  'counted',
  // The grade's evidence: store event ids, which are each delivery's own (the grade itself is compared).
  'grade_evidence',
  'evidenceIds',
]);

/**
 * What to neutralise in one workspace's rows and events: its id, and the email hashes (keyed per
 * workspace) of its leads, each replaced by a name of the lead it belongs to.
 */
export interface Neutraliser {
  /** The workspace id as written in data and (percent-encoded) in stream names. */
  readonly workspace: readonly string[];
  /** Email hash → `<email:leadId>`. */
  readonly hashes: ReadonlyMap<string, string>;
}

/** The workspace's id and its leads' email hashes (from LeadRegistered / LeadContactChanged). */
export function neutraliser(workspaceId: string, events: readonly StoredEvent[]): Neutraliser {
  const hashes = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'LeadRegistered' && e.type !== 'LeadContactChanged') continue;
    const d = e.data as { leadId: string; emailHash?: string | null; alternateEmailHashes?: readonly string[] };
    if (d.emailHash) hashes.set(d.emailHash, `<email:${d.leadId}>`);
    for (const [i, h] of (d.alternateEmailHashes ?? []).entries()) hashes.set(h, `<alt${i}:${d.leadId}>`);
  }
  return { workspace: [workspaceId, encodeURIComponent(workspaceId)], hashes };
}

const HASH = /[0-9a-f]{64}/g;

/** A row or event as a stable string with the workspace id and email hashes neutralised. */
export function normalise(value: unknown, names: Neutraliser, drop: ReadonlySet<string> = DROPPED): string {
  const json = JSON.stringify(value, (key, v: unknown) => {
    if (drop.has(key)) return undefined;
    if (key === 'grade' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      // The grade's memory keeps its evidence: store event ids, each delivery's own (the grade is compared).
      const { evidence: _evidence, ...grade } = v as Record<string, unknown>;
      return grade;
    }
    if (key === 'tasks' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      // The projection's task memory is keyed by task id (derived from the workspace id): compare the tasks.
      return Object.values(v as Record<string, Record<string, unknown>>)
        .map(({ id: _id, ...task }) => JSON.stringify(task))
        .sort();
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
  let out = json.replace(HASH, (h) => names.hashes.get(h) ?? '<unknown-hash>');
  for (const id of names.workspace) out = out.split(id).join('<ws>');
  return out;
}

export const READ_MODELS = [
  'lead_lifecycle',
  'appointments',
  'appointment_history',
  'follow_up_tasks',
  'automation_gates',
  'mismatches',
  'workspace_stats',
] as const;
export type ReadModel = (typeof READ_MODELS)[number];

/**
 * What is compared of each table. History rows keep their event's type and times but not its
 * provider version: a first sight that is already canceled records its Booked with the version it
 * saw (the appointment's final version is compared in `appointments`); the history of
 * `AppointmentVersionObserved` (an older version arriving after a newer one: bookkeeping that only
 * an out-of-order arrival produces) is left out. Closed mismatches are left out too: they record
 * the transient states a lead passed through, and that path depends on arrival order; the open
 * ones are the answer.
 */
const TABLE_RULES: Record<ReadModel, { readonly where?: ReturnType<typeof sql>; readonly drop?: readonly string[] }> = {
  lead_lifecycle: {},
  appointments: {},
  appointment_history: { where: sql`AND event_type <> 'AppointmentVersionObserved'`, drop: ['provider_updated_at'] },
  follow_up_tasks: {},
  automation_gates: {},
  mismatches: { where: sql`AND status = 'open'` },
  workspace_stats: {},
};

/** Read-model rows of one workspace: per table, normalised rows grouped by lead id (or `-`). */
export async function readModelSnapshot(
  db: Kysely<unknown>,
  workspaceId: string,
  names: Neutraliser,
): Promise<Record<ReadModel, Map<string, string[]>>> {
  const snapshot = {} as Record<ReadModel, Map<string, string[]>>;
  for (const table of READ_MODELS) {
    const rule = TABLE_RULES[table];
    const drop = new Set([...DROPPED, ...(rule.drop ?? [])]);
    const { rows } = await sql<
      Record<string, unknown>
    >`SELECT * FROM ${sql.table(table)} WHERE workspace_id = ${workspaceId} ${rule.where ?? sql``}`.execute(db);
    const byLead = new Map<string, string[]>();
    for (const row of rows) {
      const lead = typeof row['lead_id'] === 'string' ? row['lead_id'] : '-';
      const list = byLead.get(lead) ?? [];
      list.push(normalise(row, names, drop));
      byLead.set(lead, list);
    }
    for (const list of byLead.values()) list.sort();
    snapshot[table] = byLead;
  }
  return snapshot;
}

/** Lead ids (or `-`) whose rows of `table` differ between two snapshots. */
export function differingKeys(a: Map<string, string[]>, b: Map<string, string[]>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => JSON.stringify(a.get(k) ?? []) !== JSON.stringify(b.get(k) ?? [])).sort();
}
