/**
 * The domain's appointment decider wired for handleCommand: stored events are parsed back into
 * the typed union, decided events get the domain's one event-id scheme (`eventIdsAt`: stream +
 * revision read + type + fact), so a retried delivery decided at the same revision yields the same
 * ids while a fact that legitimately repeats later gets its own. `AppointmentBooked` also carries the booking's
 * `matchKeys` (hashes and ids only) so the identities projection can link it when its lead
 * registers later.
 */
import type { RecordedEvent } from '@recon/eventstore';
import {
  AppointmentEvent,
  appointmentStreamName,
  decideAppointment,
  withEventIds,
  evolveAppointment,
  initialAppointmentState,
  type AppointmentState,
  type ObserveProviderAppointment,
} from '@recon/domain';
import type { StreamDecider } from '../handle-command';

/** Identifiers a later-registered lead can be matched by. Never an email: only keyed hashes. */
export interface AppointmentMatchKeys {
  readonly inviteeEmailHash: string | null;
  readonly guestEmailHashes: readonly string[];
  readonly ghlContactId: string | null;
  readonly utmLeadIds: readonly string[];
}

export interface ObserveAppointmentCommand {
  readonly observation: ObserveProviderAppointment;
  /** Ids in `utmLeadIds` must come from verified booking tokens: the event says so (`utmLeadIdsVerified`). */
  readonly matchKeys?: AppointmentMatchKeys;
}

export function evolveFromRecorded(state: AppointmentState, recorded: RecordedEvent): AppointmentState {
  const parsed = AppointmentEvent.safeParse({ type: recorded.type, data: recorded.data });
  return parsed.success ? evolveAppointment(state, parsed.data) : state;
}

export const appointmentDecider: StreamDecider<ObserveAppointmentCommand, AppointmentState> = {
  initialState: initialAppointmentState,
  evolve: evolveFromRecorded,
  decide: (command, state, revision) => {
    const o = command.observation;
    const stream = appointmentStreamName(o.workspaceId, o.provider, o.providerAppointmentId);
    return withEventIds(stream, revision, decideAppointment(o, state)).map(({ id, event }) => ({
      id,
      type: event.type,
      data:
        event.type === 'AppointmentBooked' && command.matchKeys !== undefined
          ? { ...event.data, matchKeys: { ...command.matchKeys, utmLeadIdsVerified: true } }
          : event.data,
    }));
  },
};
