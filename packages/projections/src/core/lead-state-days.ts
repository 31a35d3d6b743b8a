/**
 * The daily lead-state series (`GET …/stats/daily`): counters of `lead_state_days` (workspace, UTC
 * day, state) whose running sum up to a day is how many leads were in each state at its end. Every
 * change of a lead's counted state at time t adds −(old trajectory from t) +(new trajectory from t):
 * - a lead's trajectory in state S from t is +1 to (day(t), S); for a booked lead whose current
 *   meeting is scheduled to end at E after day(t) it also moves booked → completed on day(E), as
 *   `…/stats` counts a booked meeting whose end passed as completed (so the counters hold no clock);
 * - t is when the fact happened at its source (`factTime`), never later than the event's recording;
 * - a lead's first counted state that a later fact predates is moved back to that fact's time (the
 *   lead counts from there, in the new state); any other earlier fact counts at the previous change's
 *   time (a lead's trajectory never runs backwards, so no day sees it twice or as a negative).
 * The counted state lives in the lead row (`LeadRowState.counted`); a replayed event changes no row
 * and adds nothing, so the counters stay exact under at-least-once delivery and equal a rebuild's.
 */
import { currentAppointment, type ReconEvent, type WorkspaceRulesChanged } from '@recon/domain';
import type { LeadRowState } from './lead-row';

/** What a lead counts as, and since when (ISO instant); `first`: never changed since it was first counted. */
export interface CountedState {
  readonly state: string;
  /** A booked lead's scheduled meeting end (it counts completed from that day), else null. */
  readonly endAt: string | null;
  readonly at: string;
  readonly first: boolean;
}

/** One counter change: (UTC day `YYYY-MM-DD`, state) by n. */
export type DayDelta = readonly [day: string, state: string, n: number];

const ms = (iso: string) => Date.parse(iso);

export function utcDay(iso: string): string {
  return new Date(ms(iso)).toISOString().slice(0, 10);
}

/**
 * When the fact an event records happened at its source: the provider's update time of an
 * appointment, the CRM's classification time of a sentiment, the check's time… — never later than
 * `recordedAt` (recon's recording), which is the fallback.
 */
export function factTime(event: ReconEvent | WorkspaceRulesChanged, recordedAt: string): string {
  let at: string | null | undefined;
  switch (event.type) {
    case 'LeadRegistered':
      at = event.data.registeredAt;
      break;
    case 'LeadContactChanged':
    case 'WorkspaceRulesChanged':
      at = event.data.changedAt;
      break;
    case 'LeadSentimentClassified':
      at = event.data.classifiedAt;
      break;
    case 'LeadInboundActivityRecorded':
      at = event.data.messageAt ?? event.data.recordedAt;
      break;
    case 'LeadProviderChecked':
    case 'LeadBookedLabelUnverified':
      at = event.data.checkedAt;
      break;
    case 'FollowUpTaskResolved':
      at = event.data.resolvedAt;
      break;
    case 'LeadContactErased':
      at = event.data.erasedAt;
      break;
    default:
      at = event.data.providerUpdatedAt ?? event.data.observedAt;
  }
  return at !== null && at !== undefined && Number.isFinite(ms(at)) && ms(at) < ms(recordedAt) ? at : recordedAt;
}

function countedKey(s: LeadRowState): { state: string; endAt: string | null } {
  const state = s.fold.bookingState;
  const c = currentAppointment(s.fold);
  return { state, endAt: state === 'booked' && c?.status === 'scheduled' ? c.endAt : null };
}

/** The trajectory of a lead counted as `k` from `at`, as counter changes (sign: +1 enter, −1 leave). */
function trajectory(k: { state: string; endAt: string | null }, at: string, sign: 1 | -1): DayDelta[] {
  const day = utcDay(at);
  if (k.endAt === null) return [[day, k.state, sign]];
  // Completed at the end of the day its meeting ends (an end at midnight belongs to the day before).
  const ends = utcDay(new Date(ms(k.endAt) - 1).toISOString());
  if (ends <= day) return [[day, 'completed', sign]];
  return [
    [day, k.state, sign],
    [ends, k.state, -sign as 1 | -1],
    [ends, 'completed', sign],
  ];
}

/** The lead row with its counted state brought up to date, and the counter changes that took. */
export function countLead(s: LeadRowState, t: string): { row: LeadRowState; deltas: DayDelta[] } {
  const next = countedKey(s);
  const prev = s.counted;
  if (prev !== undefined && prev.state === next.state && prev.endAt === next.endAt) return { row: s, deltas: [] };
  let counted: CountedState;
  let deltas: DayDelta[];
  if (prev === undefined) {
    counted = { ...next, at: t, first: true };
    deltas = trajectory(next, t, 1);
  } else if (ms(t) >= ms(prev.at)) {
    counted = { ...next, at: t, first: false };
    deltas = [...trajectory(prev, t, -1), ...trajectory(next, t, 1)];
  } else if (prev.first) {
    counted = { ...next, at: t, first: true };
    deltas = [...trajectory(prev, prev.at, -1), ...trajectory(next, t, 1)];
  } else {
    counted = { ...next, at: prev.at, first: false };
    deltas = [...trajectory(prev, prev.at, -1), ...trajectory(next, prev.at, 1)];
  }
  return { row: { ...s, counted }, deltas };
}

/** Adds counter changes into a map keyed `workspace \0 day \0 state`. */
export function addDayDeltas(target: Map<string, number>, workspaceId: string, deltas: readonly DayDelta[]): void {
  for (const [day, state, n] of deltas) {
    const key = `${workspaceId}\u0000${day}\u0000${state}`;
    target.set(key, (target.get(key) ?? 0) + n);
  }
}

/** The counter rows of a map `addDayDeltas` filled (zero sums left out). */
export function dayCounterRows(counters: ReadonlyMap<string, number>): { [k: string]: string | number }[] {
  const rows: { [k: string]: string | number }[] = [];
  for (const [key, value] of counters) {
    if (value === 0) continue;
    const [workspace_id, day, state] = key.split('\u0000') as [string, string, string];
    rows.push({ workspace_id, day, state, value });
  }
  return rows;
}
