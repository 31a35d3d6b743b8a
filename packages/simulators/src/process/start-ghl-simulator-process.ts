/**
 * Starts the GHL simulator in its own node process (through tsx, so no build step) and drives it
 * over IPC: seeding, resetting and reading its counters. What a benchmark uses so the provider's
 * answers never compete with the process under test for its event loop.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimRateLimit } from '../simulator-server';
import type {
  GhlProcessAppointment,
  GhlProcessCommand,
  GhlProcessLocation,
  GhlProcessReply,
  GhlProcessStats,
} from './ghl-simulator-protocol';

export interface GhlSimulatorProcess {
  readonly url: string;
  readonly pid: number;
  addLocations(locations: readonly GhlProcessLocation[]): Promise<void>;
  addAppointments(appointments: readonly GhlProcessAppointment[]): Promise<void>;
  resetStats(): Promise<void>;
  stats(accounts: readonly string[]): Promise<GhlProcessStats>;
  close(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./ghl-simulator-process.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export async function startGhlSimulatorProcess(
  options: { rateLimit?: Partial<SimRateLimit>; seed?: number } = {},
): Promise<GhlSimulatorProcess> {
  const child: ChildProcess = fork(ENTRY, [JSON.stringify(options)], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited = false;
  child.on('message', (reply: GhlProcessReply) => {
    const w = waiting.get(reply.id);
    if (w === undefined) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.value);
    else w.reject(new Error(`simulator process: ${reply.error}`));
  });
  child.on('exit', () => {
    exited = true;
    for (const w of waiting.values()) w.reject(new Error('simulator process exited'));
    waiting.clear();
  });
  const started = new Promise<unknown>((resolve, reject) => waiting.set(0, { resolve, reject }));
  const { url } = (await started) as { url: string };
  const call = (command: GhlProcessCommand) =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) return reject(new Error('simulator process exited'));
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.send({ id, command });
    });
  return {
    url,
    pid: child.pid ?? -1,
    async addLocations(locations) {
      await call({ op: 'addLocations', locations });
    },
    async addAppointments(appointments) {
      await call({ op: 'addAppointments', appointments });
    },
    async resetStats() {
      await call({ op: 'resetStats' });
    },
    async stats(accounts) {
      return (await call({ op: 'stats', accounts })) as GhlProcessStats;
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.disconnect();
      await gone;
    },
  };
}
