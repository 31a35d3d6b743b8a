/**
 * Observation → appointment stream: read, let the domain decide, append with the revision read
 * (retrying on a concurrent writer). The shared path of webhooks, pollers and backfills.
 */
import type { EventStore } from '@recon/eventstore';
import { appointmentStreamName, type AppointmentState } from '@recon/domain';
import { handleCommand, type HandleCommandResult } from '../handle-command';
import { appointmentDecider, type ObserveAppointmentCommand } from './appointment-decider';

/** `assumeNewStream`: the caller expects a first sighting (a creation webhook); see handleCommand. */
export function observeAppointment(
  store: EventStore,
  command: ObserveAppointmentCommand,
  options: { readonly assumeNewStream?: boolean } = {},
): Promise<HandleCommandResult<AppointmentState>> {
  const o = command.observation;
  return handleCommand(
    store,
    appointmentStreamName(o.workspaceId, o.provider, o.providerAppointmentId),
    appointmentDecider,
    command,
    options,
  );
}
