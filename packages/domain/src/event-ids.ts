/**
 * recon's one event-id scheme (every stream, every decider, every appender).
 *
 *   id = UUIDv5(RECON_ID_NAMESPACE, JSON(['event', streamName, revision, type, digest]))
 *
 * - `streamName`: the stream the event is appended to (ids are unique store-wide, and the stream
 *   name already carries workspace, lead or provider + appointment key).
 * - `revision`: the stream revision the event takes = the revision the decision was read at + 1 +
 *   its index in the decided batch (0 for the first event of a new stream). A decider decides
 *   against the revision it read, so:
 *     - a retried append (same command, same revision read) recomputes the same ids, and the store
 *       recognises the copy (two racing deciders at one revision deciding the same fact collide on
 *       purpose);
 *     - a legitimately repeated fact (booked → canceled → booked with the same times and no
 *       provider version) is decided at a later revision and gets its own id, so it is stored.
 * - `type` and `digest`: the event's type and its content without the fields that say *when or
 *   how recon saw it* (`VOLATILE_FIELDS`: observedAt, source, recordedAt, registeredAt,
 *   changedAt, linkedAt, resolvedAt). Two deliveries of one fact (a webhook and a poll) decided at
 *   the same revision get the same id; two different facts decided at one revision never do, so
 *   the store never mistakes a different fact for a retry.
 *
 * Adapters call `eventIdsAt(streamName, revisionRead, events)` with the revision handleCommand read
 * (null for a stream that does not exist yet). `reconEventId(event, revision?)` names the stream
 * from the event itself; without a revision it gives the "unplaced" id that fixtures and benches
 * appending with `expectedRevision: 'any'` use (never a production appender).
 */
import { v5 as uuidv5 } from 'uuid';
import { isLeadEvent } from './event-kinds';
import type { FollowUpTaskKind } from './events/lead-events';
import type { Provider } from './events/primitives';
import type { ReconEvent } from './events/recon-event';
import { appointmentStreamName, leadStreamName } from './streams';

/** Fixed namespace of every recon id. Never change it: stored ids would stop matching. */
export const RECON_ID_NAMESPACE = '6f1c1d3e-8a8b-4f61-9c4e-2b8f0d6a7c11';

/** Fields that say when or through which channel recon saw a fact: never part of an id. */
export const VOLATILE_FIELDS: readonly string[] = [
  'observedAt',
  'source',
  'recordedAt',
  'registeredAt',
  'changedAt',
  'linkedAt',
  'resolvedAt',
];

/** A stream revision as the store gives it (bigint) or as a state counts it (number). */
export type StreamRevision = number | bigint;

function idOf(parts: readonly unknown[]): string {
  return uuidv5(JSON.stringify(parts), RECON_ID_NAMESPACE);
}

/**
 * Task ids are asked for again with every event of a lead's appointments (a fold names the tasks
 * each event touches): the last ones are remembered. The id is a function of its parts, so the
 * memo changes no result; it is bounded (emptied when full).
 */
const TASK_IDS = new Map<string, string>();
const TASK_IDS_MAX = 50_000;

function memoisedIdOf(parts: readonly unknown[]): string {
  const name = JSON.stringify(parts);
  let id = TASK_IDS.get(name);
  if (id === undefined) {
    id = uuidv5(name, RECON_ID_NAMESPACE);
    if (TASK_IDS.size >= TASK_IDS_MAX) TASK_IDS.clear();
    TASK_IDS.set(name, id);
  }
  return id;
}

/** JSON with sorted keys and without undefined values, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The fact an event states, without when/how recon saw it. */
export function factDigest(data: Readonly<Record<string, unknown>>): string {
  const fact: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!VOLATILE_FIELDS.includes(k)) fact[k] = v;
  return canonicalJson(fact);
}

/** The id of an event of `type` with `data` taking `revision` in `streamName`. */
export function eventIdAt(
  streamName: string,
  revision: StreamRevision | 'unplaced',
  event: { readonly type: string; readonly data: Readonly<Record<string, unknown>> },
): string {
  return idOf([
    'event',
    streamName,
    typeof revision === 'string' ? revision : revision.toString(),
    event.type,
    factDigest(event.data),
  ]);
}

/**
 * Ids of a decided batch: `revisionRead` is the revision of the last event the decider saw (null
 * for a new stream), so the i-th event takes revision `revisionRead + 1 + i`.
 */
export function eventIdsAt(
  streamName: string,
  revisionRead: StreamRevision | null,
  events: readonly { readonly type: string; readonly data: Readonly<Record<string, unknown>> }[],
): string[] {
  const first = revisionRead === null ? 0n : BigInt(revisionRead) + 1n;
  return events.map((event, i) => eventIdAt(streamName, first + BigInt(i), event));
}

/** A decided batch with its ids (see `eventIdsAt`): what an adapter appends. */
export function withEventIds<E extends { readonly type: string; readonly data: Readonly<Record<string, unknown>> }>(
  streamName: string,
  revisionRead: StreamRevision | null,
  events: readonly E[],
): { readonly id: string; readonly event: E }[] {
  const ids = eventIdsAt(streamName, revisionRead, events);
  return events.map((event, i) => ({ id: ids[i] as string, event }));
}

/** The stream a recon event belongs to. */
export function streamOfEvent(event: ReconEvent): string {
  if (isLeadEvent(event)) return leadStreamName(event.data.workspaceId, event.data.leadId);
  const d = event.data;
  return appointmentStreamName(d.workspaceId, d.provider, d.providerAppointmentId);
}

/**
 * Id of a recon event in its own stream. `revision` is the revision the event takes (for a
 * decision made on a state of `version` n, the first event takes n). Without it: the "unplaced" id
 * for fixtures appending with `expectedRevision: 'any'`.
 */
export function reconEventId(event: ReconEvent, revision?: StreamRevision): string {
  return eventIdAt(streamOfEvent(event), revision ?? 'unplaced', event);
}

/**
 * Id of a review task: one per (workspace, lead, appointment, kind, occurrence). Occurrence 0 (the
 * default) keeps the id tasks had before occurrences existed; see `follow-up/task-occurrences`.
 */
export function followUpTaskId(ref: {
  readonly workspaceId: string;
  readonly leadId: string;
  readonly provider: Provider;
  readonly providerAppointmentId: string;
  readonly kind: FollowUpTaskKind;
  readonly occurrence?: number;
}): string {
  const occurrence = ref.occurrence ?? 0;
  return memoisedIdOf([
    'task',
    ref.workspaceId,
    ref.leadId,
    ref.provider,
    ref.providerAppointmentId,
    ref.kind,
    ...(occurrence === 0 ? [] : [occurrence]),
  ]);
}

/** @deprecated Use `eventIdsAt` with the revision read; kept for callers not moved yet (same as `reconEventId`). */
export const appointmentEventId: (event: ReconEvent, revision?: StreamRevision) => string = reconEventId;
/** @deprecated Use `eventIdsAt` with the revision read; kept for callers not moved yet (same as `reconEventId`). */
export const leadEventId: (event: ReconEvent, revision?: StreamRevision) => string = reconEventId;
