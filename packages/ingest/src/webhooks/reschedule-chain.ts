/**
 * A reschedule that replaces the booking (Calendly: a new invitee with `old_invitee` set; any
 * provider whose observations carry `rescheduledFrom`/`rescheduledTo`) keeps its lead: the new
 * booking is the same meeting moved, so it belongs to the lead of the booking it replaces, whatever its own email says (the CRM
 * may have changed the lead's email since; the original may have been matched by a guest, an
 * alternate email, a UTM token or an operator). Both delivery orders and chains of any length:
 * - `predecessorLead`: a new invitee takes the lead of the stream it replaces (when known);
 * - `linkSuccessors`: once an invitee's lead is known, every successor stream recon already holds
 *   unmatched is linked to that lead (`AppointmentLinkedToLead`, matchedBy `reschedule`), hop by hop.
 */
import {
  appointmentStreamName,
  decideLinkAppointment,
  initialAppointmentState,
  withEventIds,
  type AppointmentState,
  type Provider,
} from '@recon/domain';
import type { EventStore, Position } from '@recon/eventstore';
import { type StoreFailureCode, handleCommand, type StreamDecider } from '../handle-command';
import { evolveFromRecorded } from '../appointments/appointment-decider';

const MAX_HOPS = 50;

/** The lead of the provider's booking `rescheduledFrom` (null when unknown or unmatched). Throws when the store is down. */
export async function predecessorLead(
  store: EventStore,
  workspaceId: string,
  provider: Provider,
  rescheduledFrom: string,
): Promise<string | null> {
  let state: AppointmentState = initialAppointmentState();
  for (const e of await store.readStream(appointmentStreamName(workspaceId, provider, rescheduledFrom)))
    state = evolveFromRecorded(state, e);
  return state.status === 'absent' ? null : state.leadId;
}

interface LinkCommand {
  readonly stream: string;
  readonly leadId: string;
  readonly linkedAt: string;
}

const linkDecider: StreamDecider<LinkCommand, AppointmentState> = {
  initialState: initialAppointmentState,
  evolve: evolveFromRecorded,
  decide: (command, state, revision) => {
    const decision = decideLinkAppointment(
      { type: 'LinkAppointmentToLead', leadId: command.leadId, matchedBy: 'reschedule', linkedAt: command.linkedAt },
      state,
    );
    // Linked to another lead already: an operator or a match decided; keep it.
    if (!decision.ok) return [];
    return withEventIds(command.stream, revision, decision.value).map(({ id, event }) => ({
      id,
      type: event.type,
      data: event.data as Record<string, unknown>,
    }));
  },
};

/**
 * Links the successors of an invitee of `leadId` (starting at `rescheduledTo`) that recon holds
 * unmatched; stops at the first successor recon does not hold yet (its own creation inherits then).
 * Returns how many events were appended (and the last one's position), or a store failure code.
 */
export async function linkSuccessors(
  store: EventStore,
  workspaceId: string,
  provider: Provider,
  leadId: string,
  rescheduledTo: string | null,
  linkedAt: string,
): Promise<
  | { ok: true; appended: number; position: Position | null }
  | { ok: false; code: StoreFailureCode | 'CONCURRENCY_CONFLICT' }
> {
  let appended = 0;
  let position: Position | null = null;
  const seen = new Set<string>();
  for (let next = rescheduledTo, hop = 0; next !== null && hop < MAX_HOPS && !seen.has(next); hop++) {
    seen.add(next);
    const stream = appointmentStreamName(workspaceId, provider, next);
    const r = await handleCommand(store, stream, linkDecider, { stream, leadId, linkedAt });
    if (!r.ok) return { ok: false, code: r.code };
    if (r.stateBefore.status === 'absent') break;
    if (r.stateBefore.leadId !== null && r.stateBefore.leadId !== leadId) break;
    appended += r.appended.length;
    if (r.appended.length > 0) position = r.position;
    next = r.stateBefore.rescheduledTo;
  }
  return { ok: true, appended, position };
}

/**
 * After an invitee observation was appended: when it names a successor (`rescheduledTo`) and its
 * lead is known (matched now, or linked on its stream before), carry the lead down the chain.
 */
export function linkSuccessorsOf(
  store: EventStore,
  observation: {
    readonly workspaceId: string;
    readonly provider: Provider;
    readonly leadId: string | null;
    readonly rescheduledTo: string | null;
    readonly observedAt: string;
  },
  stateBefore: AppointmentState,
): ReturnType<typeof linkSuccessors> {
  const leadId = observation.leadId ?? (stateBefore.status === 'absent' ? null : stateBefore.leadId);
  // Providers that reschedule in place (GHL) never name a successor: nothing to carry.
  if (leadId === null || observation.rescheduledTo === null)
    return Promise.resolve({ ok: true, appended: 0, position: null });
  return linkSuccessors(
    store,
    observation.workspaceId,
    observation.provider,
    leadId,
    observation.rescheduledTo,
    observation.observedAt,
  );
}
