/**
 * The GHL simulator as its own node process (benchmarks: the process under test must not serve
 * the provider's answers on its own event loop). Started by `startGhlSimulatorProcess`; options
 * come as JSON in argv[2]; commands arrive over the IPC channel (seed, reset, stats) and each gets
 * one answer with the same id. Exits when the parent disconnects.
 */
import { GhlSimulator } from '../ghl-simulator';
import type { SimRateLimit } from '../simulator-server';
import type { GhlProcessCommand, GhlProcessReply } from './ghl-simulator-protocol';

const options = JSON.parse(process.argv[2] ?? '{}') as { rateLimit?: Partial<SimRateLimit>; seed?: number };
const sim = new GhlSimulator(options);

function run(command: GhlProcessCommand): unknown {
  switch (command.op) {
    case 'addLocations':
      for (const l of command.locations) sim.addLocation(l);
      return null;
    case 'addAppointments':
      for (const a of command.appointments) sim.addAppointment(a);
      return null;
    case 'resetStats':
      sim.server.resetStats();
      return null;
    case 'stats':
      return {
        accepted: sim.server.countRequests({ status: 200 }),
        rateLimitRejections: sim.server.rateLimitRejections,
        accounts: command.accounts.map((account) => ({
          account,
          accepted: sim.server.countRequests({ account, status: 200 }),
          maxAcceptedInWindow: sim.server.maxAcceptedInWindow(account),
        })),
      };
    default: {
      const never: never = command;
      return never;
    }
  }
}

process.on('message', (message: { id: number; command: GhlProcessCommand }) => {
  let reply: GhlProcessReply;
  try {
    reply = { id: message.id, ok: true, value: run(message.command) };
  } catch (error) {
    reply = { id: message.id, ok: false, error: error instanceof Error ? error.name : 'Error' };
  }
  process.send?.(reply);
});
process.on('disconnect', () => {
  void sim.close().finally(() => process.exit(0));
});

const url = await sim.start();
process.send?.({ id: 0, ok: true, value: { url } } satisfies GhlProcessReply);
