/**
 * The lead's lifecycle as the domain folds it, read straight from the event store: the lead's own
 * stream plus the streams of the appointments known to be its own, merged in global order. Used to
 * answer "what is this lead's state now" right after a check, without waiting for projections.
 *
 * A fold can continue from a snapshot (an earlier fold with the revision it reached per stream and
 * the highest position it folded): only newer events are read (`readStream` from the next
 * revision), so the cost of a check does not grow with the lead's age (one `LeadProviderChecked`
 * per check). Snapshot + newer events equal the full fold whenever every newer event lies after
 * the snapshot's position in global order and the snapshot's streams are all still asked for;
 * otherwise (a late commit ordered before the snapshot, an appointment no longer listed) the fold
 * starts over from nothing. fold-lead.test.ts checks the equality as a property.
 */
import {
  AppointmentEvent,
  LeadEvent,
  appointmentStreamName,
  evolveLeadLifecycle,
  initialLeadLifecycle,
  leadStreamName,
  type LeadLifecycle,
  type ReconEvent,
} from '@recon/domain';
import type { EventStore, Position, RecordedEvent } from '@recon/eventstore';
import type { KnownAppointment } from './reconcile-tables';

/** A fold and where it stands: the last revision folded per stream, and the highest position. */
export interface LeadFoldSnapshot {
  readonly lifecycle: LeadLifecycle;
  readonly revisions: ReadonlyMap<string, bigint>;
  /** Highest global position folded (null: nothing folded yet). */
  readonly position: Position | null;
  /** The lead stream had events. */
  readonly exists: boolean;
}

export interface FoldedLead {
  readonly exists: boolean;
  readonly lifecycle: LeadLifecycle;
  /** Revision of the lead stream as read (null: no stream). */
  readonly leadRevision: bigint | null;
  /** This fold as a snapshot a later fold can continue from. */
  readonly snapshot: LeadFoldSnapshot;
  /** Events read from the store for this fold (a measure of its cost). */
  readonly eventsRead: number;
}

/** The recon event a stored event folds into the lead as, or null (unknown, or another lead's appointment). */
function asLeadEvent(leadId: string, e: { type: string; data: Record<string, unknown> }): ReconEvent | null {
  const lead = LeadEvent.safeParse({ type: e.type, data: e.data });
  if (lead.success) return lead.data;
  const appt = AppointmentEvent.safeParse({ type: e.type, data: e.data });
  return appt.success && appt.data.data.leadId === leadId ? appt.data : null;
}

/** Continues a fold with events just appended (no re-read): appointment events of other leads are skipped. */
export function foldAppended(
  lifecycle: LeadLifecycle,
  leadId: string,
  appended: readonly { type: string; data: Record<string, unknown> }[],
): LeadLifecycle {
  let state = lifecycle;
  for (const e of appended) {
    const event = asLeadEvent(leadId, e);
    if (event !== null) state = evolveLeadLifecycle(state, event);
  }
  return state;
}

const EMPTY: LeadFoldSnapshot = {
  lifecycle: initialLeadLifecycle(),
  revisions: new Map(),
  position: null,
  exists: false,
};

/** The snapshot may be continued for these streams: every stream it folded is still asked for. */
function usable(snapshot: LeadFoldSnapshot | undefined, streams: ReadonlySet<string>): snapshot is LeadFoldSnapshot {
  if (snapshot === undefined) return false;
  for (const s of snapshot.revisions.keys()) if (!streams.has(s)) return false;
  return true;
}

async function readNewer(
  store: EventStore,
  streams: readonly string[],
  base: LeadFoldSnapshot,
): Promise<readonly (readonly RecordedEvent[])[]> {
  return Promise.all(
    streams.map((s) => {
      const last = base.revisions.get(s);
      return last === undefined ? store.readStream(s) : store.readStream(s, { fromRevision: last + 1n });
    }),
  );
}

export async function foldLead(
  store: EventStore,
  workspaceId: string,
  leadId: string,
  appointments: readonly KnownAppointment[],
  snapshot?: LeadFoldSnapshot,
): Promise<FoldedLead> {
  const leadStream = leadStreamName(workspaceId, leadId);
  const streams = [
    leadStream,
    ...new Set(appointments.map((a) => appointmentStreamName(workspaceId, a.provider, a.id))),
  ].filter((s, i, all) => all.indexOf(s) === i);
  let base = usable(snapshot, new Set(streams)) ? snapshot : EMPTY;
  let read = await readNewer(store, streams, base);
  let eventsRead = read.reduce((n, r) => n + r.length, 0);
  const after = base.position;
  if (after !== null && read.some((events) => events.some((e) => store.comparePositions(e.position, after) <= 0))) {
    // Something committed behind the snapshot's position: fold from nothing.
    base = EMPTY;
    read = await readNewer(store, streams, base);
    eventsRead += read.reduce((n, r) => n + r.length, 0);
  }
  const recorded = read.flat().sort((a, b) => store.comparePositions(a.position, b.position));
  let lifecycle = base.lifecycle;
  const revisions = new Map(base.revisions);
  let position = base.position;
  for (const r of recorded) {
    const event = asLeadEvent(leadId, r);
    if (event !== null) lifecycle = evolveLeadLifecycle(lifecycle, event);
    revisions.set(r.streamName, r.revision);
    position = r.position;
  }
  const leadRevision = revisions.get(leadStream) ?? null;
  const exists = base.exists || (read[0]?.length ?? 0) > 0;
  return {
    exists,
    lifecycle,
    leadRevision,
    snapshot: { lifecycle, revisions, position, exists },
    eventsRead,
  };
}
