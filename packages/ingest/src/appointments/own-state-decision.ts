/**
 * A decision an appointment stream makes on its own state rather than on a provider observation
 * (the reconcile tick's reviews: an ended meeting without attendance, a reschedule whose new
 * booking is not found): read, fold, let the domain decide, append at the revision read, through
 * the one write path (handleCommand; a concurrent writer makes it decide again on fresh state).
 */
import { AppointmentEvent, evolveAppointment, initialAppointmentState, type AppointmentState } from '@recon/domain';
import type { EventStore } from '@recon/eventstore';
import { fromDomainDecider } from '../domain-decider';
import { handleCommand } from '../handle-command';

interface OwnStateCommand {
  readonly stream: string;
  readonly decide: (state: AppointmentState) => readonly AppointmentEvent[];
}

const ownStateDecider = fromDomainDecider<OwnStateCommand, AppointmentState, AppointmentEvent>({
  initialState: initialAppointmentState,
  evolve: evolveAppointment,
  decide: (command, state) => command.decide(state),
  parse: (recorded) => {
    const parsed = AppointmentEvent.safeParse({ type: recorded.type, data: recorded.data });
    return parsed.success ? parsed.data : null;
  },
  streamOf: (command) => command.stream,
});

/**
 * Appends what `decide` says about the stream's current state; returns how many events. Writers
 * that keep conflicting leave it to the next sweep (0); a store failure throws, as a read would.
 */
export async function appendOwnStateDecision(
  store: EventStore,
  stream: string,
  decide: OwnStateCommand['decide'],
): Promise<number> {
  const r = await handleCommand(store, stream, ownStateDecider, { stream, decide });
  if (r.ok) return r.appended.length;
  if (r.code === 'CONCURRENCY_CONFLICT') return 0;
  throw r.cause ?? new Error(r.code);
}
