/**
 * Test support: read-model facts that would drift if an event were applied twice (or skipped),
 * compared with the event store: one appointment_history row per stored appointment event, the
 * workspace_stats counters equal to a recount of lead_lifecycle, booking counts per lead.
 */
import { READ_MODEL_TABLES } from '@recon/projections';
import type { FaultWorld } from './faults-harness';

const APPOINTMENT_EVENT_TYPES = [
  'AppointmentBooked',
  'AppointmentRescheduled',
  'AppointmentCanceled',
  'AppointmentAttended',
  'AppointmentNoShowMarked',
  'AppointmentNoShowRetracted',
  'AppointmentLinkedToLead',
];

export interface ReadModelDrift {
  /** Stored appointment events of the workspace vs appointment_history rows, by type (only where they differ). */
  readonly historyVsStore: Record<string, { store: number; history: number }>;
  /** workspace_stats `state:*` counters vs a recount of lead_lifecycle (only where they differ). */
  readonly statsVsRecount: Record<string, { stats: number; recount: number }>;
  /** Leads whose `bookings` counter is not 1 although exactly one booking was sent for each (by lead id). */
  readonly bookingsNotOne: Record<string, number>;
}

/** Compares the read models of `ws` with the store; `bookedLeads` each got exactly one booking. */
export async function readModelDrift(
  world: FaultWorld,
  ws: string,
  bookedLeads: readonly string[],
): Promise<ReadModelDrift> {
  const store = await world.query<{ event_type: string; n: string }>(
    `SELECT event_type, count(*) AS n FROM eventstore.events WHERE event_type = ANY($2::text[]) AND data->>'workspaceId' = $1 GROUP BY event_type`,
    [ws, APPOINTMENT_EVENT_TYPES],
  );
  const history = await world.query<{ event_type: string; n: string }>(
    'SELECT event_type, count(*) AS n FROM appointment_history WHERE workspace_id = $1 GROUP BY event_type',
    [ws],
  );
  const historyVsStore: ReadModelDrift['historyVsStore'] = {};
  for (const type of APPOINTMENT_EVENT_TYPES) {
    const s = Number(store.find((r) => r.event_type === type)?.n ?? 0);
    const h = Number(history.find((r) => r.event_type === type)?.n ?? 0);
    if (s !== h) historyVsStore[type] = { store: s, history: h };
  }
  const stats = await world.query<{ metric: string; value: string }>(
    `SELECT metric, value FROM workspace_stats WHERE workspace_id = $1 AND metric LIKE 'state:%'`,
    [ws],
  );
  const recount = await world.query<{ state: string; n: string }>(
    'SELECT booking_state AS state, count(*) AS n FROM lead_lifecycle WHERE workspace_id = $1 GROUP BY booking_state',
    [ws],
  );
  const statsVsRecount: ReadModelDrift['statsVsRecount'] = {};
  const states = new Set([...stats.map((r) => r.metric.slice('state:'.length)), ...recount.map((r) => r.state)]);
  for (const state of states) {
    const a = Number(stats.find((r) => r.metric === `state:${state}`)?.value ?? 0);
    const b = Number(recount.find((r) => r.state === state)?.n ?? 0);
    if (a !== b) statsVsRecount[state] = { stats: a, recount: b };
  }
  const bookings = await world.query<{ lead_id: string; bookings: number }>(
    'SELECT lead_id, bookings FROM lead_lifecycle WHERE workspace_id = $1 AND lead_id = ANY($2::text[])',
    [ws, bookedLeads],
  );
  const bookingsNotOne: Record<string, number> = {};
  for (const lead of bookedLeads) {
    const n = bookings.find((r) => r.lead_id === lead)?.bookings ?? 0;
    if (n !== 1) bookingsNotOne[lead] = n;
  }
  return { historyVsStore, statsVsRecount, bookingsNotOne };
}

export const NO_DRIFT: ReadModelDrift = { historyVsStore: {}, statsVsRecount: {}, bookingsNotOne: {} };

/**
 * The workspace's rows of every read-model table, as sorted JSON lines per table. A workspace_stats
 * counter at 0 reads the same as an absent one (a live counter that went +1 then -1 keeps its row;
 * a rebuild that never saw the +1 has none), so zero counters are left out.
 */
export async function readModelSnapshot(world: FaultWorld, ws: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of READ_MODEL_TABLES) {
    const zero = table === 'workspace_stats' ? ' AND value <> 0' : '';
    const rows = await world.query<{ j: string }>(
      `SELECT row_to_json(t)::text AS j FROM ${table} t WHERE workspace_id = $1${zero}`,
      [ws],
    );
    out[table] = rows.map((r) => r.j).sort();
  }
  return out;
}

/** Per table, how many rows only one side has, with the first such row of each side (cut short): empty when equal. */
export function snapshotDiff(
  a: Record<string, string[]>,
  b: Record<string, string[]>,
): Record<string, { onlyA: number; onlyB: number; firstA?: string; firstB?: string }> {
  const out: Record<string, { onlyA: number; onlyB: number; firstA?: string; firstB?: string }> = {};
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const setA = new Set(a[table] ?? []);
    const setB = new Set(b[table] ?? []);
    const onlyA = [...setA].filter((r) => !setB.has(r));
    const onlyB = [...setB].filter((r) => !setA.has(r));
    if (onlyA.length === 0 && onlyB.length === 0 && (a[table]?.length ?? 0) === (b[table]?.length ?? 0)) continue;
    out[table] = {
      onlyA: onlyA.length,
      onlyB: onlyB.length,
      ...(onlyA[0] !== undefined ? { firstA: onlyA[0].slice(0, 1500) } : {}),
      ...(onlyB[0] !== undefined ? { firstB: onlyB[0].slice(0, 1500) } : {}),
    };
  }
  return out;
}
