/**
 * Issue 11, kill -9 during a rebuild: `recon rebuild` (a separate process, as an operator runs it
 * against the server) is killed with SIGKILL at a random moment after it starts replaying, twice,
 * while `recon start` keeps serving. The live read models must keep serving (blue/green: nothing
 * half-switched), the next `recon rebuild` must finish (no stale lock or half-built generation in
 * its way), and the read models it leaves must equal the ones before any rebuild.
 */
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_SIGNING_KEY, Traffic } from './testing/fault-deliveries';
import { FaultWorld, http, setupWorkspace, type FaultRecon } from './testing/faults-harness';
import { readModelSnapshot, snapshotDiff } from './testing/read-model-checks';

const ROUNDS = 2;
const BULK_LEADS = 1_500; // enough events that a replay takes a moment
const BOOKED = 6;

let world: FaultWorld;
let recon: FaultRecon;
let ws = '';
const traffic = new Traffic('rb');

interface Round {
  readonly delayMs: number;
  /** The rebuild was still running when the SIGKILL landed (not already finished). */
  readonly killedMidway: boolean;
  readonly liveReadStatus: number;
  readonly readyStatus: number;
}

interface Observed {
  readonly before: Record<string, string[]>;
  readonly rounds: Round[];
  readonly final: { code: number | null; stderr: string[] };
  readonly after: Record<string, string[]>;
}
let seen: Observed;

async function seed(key: string): Promise<void> {
  for (let from = 0; from < BULK_LEADS; from += 1_000) {
    const leads = Array.from({ length: Math.min(1_000, BULK_LEADS - from) }, (_, k) => ({
      leadId: `bulk-${from + k}`,
      email: `bulk.${from + k}@faults.example`,
    }));
    const r = await http(recon.url, 'POST', `/v1/workspaces/${ws}/leads:batch`, { token: key, body: { leads } });
    if (r.status !== 200) throw new Error(`batch refused: ${r.status}`);
  }
  let position = '';
  for (let i = 0; i < BOOKED; i++)
    position = String(
      (await traffic.untilAccepted(() => [recon.url], traffic.lead(i), { timeoutMs: 10_000 })).body['position'],
    );
  // Every lead is matchable before its booking arrives (the last PUT's position covers the earlier ones).
  await waitFor(async () => (await traffic.readLead(recon.url, BOOKED - 1, position)).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  for (let i = 0; i < BOOKED; i++)
    position = String(
      (await traffic.untilAccepted(() => [recon.url], traffic.booking(i), { timeoutMs: 10_000 })).body['position'],
    );
  for (let i = 0; i < BOOKED; i++) await traffic.waitBooked(recon.url, i, 30_000);
  // Every projection (identities too, not only the lead view) has passed the last booking.
  await waitFor(async () => (await traffic.readLead(recon.url, 0, position)).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 200,
    description: 'all projections past the last booking',
  });
}

async function killRound(): Promise<Round> {
  const proc = await world.spawnCommand(['rebuild']);
  // Plain progress lines go to stderr once the replay runs.
  await Promise.race([
    waitFor(() => proc.stderr.some((l) => l.startsWith('rebuild')), {
      timeoutMs: 60_000,
      intervalMs: 20,
      description: 'rebuild progress',
    }),
    proc.exited(),
  ]);
  const delayMs = Math.floor(Math.random() * 400);
  const from = Date.now();
  await waitFor(() => Date.now() - from >= delayMs || proc.child.exitCode !== null, {
    timeoutMs: 5_000,
    intervalMs: 10,
  });
  const killedMidway = proc.child.exitCode === null;
  proc.child.kill('SIGKILL');
  await proc.exited();
  return {
    delayMs,
    killedMidway,
    liveReadStatus: (await traffic.readLead(recon.url, 0)).status,
    readyStatus: (await http(recon.url, 'GET', '/readyz')).status,
  };
}

beforeAll(async () => {
  const t0 = Date.now();
  world = await FaultWorld.create('faults-kill-nine-rebuild');
  // No scheduler: its reconciliation checks would append events between the two snapshots.
  recon = await world.start({ roles: 'api,ingest,projections' });
  const setup = await setupWorkspace(recon, traffic.signer.publicKeyPem, CALENDLY_SIGNING_KEY);
  ws = setup.ws;
  traffic.bind(setup.ws, setup.key);
  await seed(setup.key);
  const seeded = Date.now();
  await waitFor(async () => (await http(recon.url, 'GET', '/readyz')).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 250,
  });
  const before = await readModelSnapshot(world, ws);
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await killRound());
  const killed = Date.now();
  const final = await world.run(['rebuild'], 120_000);
  await waitFor(async () => (await http(recon.url, 'GET', '/readyz')).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 250,
  }).catch(() => undefined);
  const after = await readModelSnapshot(world, ws);
  seen = { before, rounds, final: { code: final.code, stderr: final.stderr.slice(-5) }, after };
  console.log(
    `rebuild kill -9 rounds: ${JSON.stringify(rounds)}; final rebuild exit ${final.code}: ${final.stderr.at(-1) ?? ''}; ms: setup+seed ${seeded - t0}, kill rounds ${killed - seeded}, final ${Date.now() - killed}`,
  );
}, 300_000);

afterAll(async () => {
  await world?.close();
});

describe(`faults: recon rebuild killed with SIGKILL mid-replay (${ROUNDS} rounds) while recon serves`, () => {
  it('the live read models keep serving after each killed rebuild', () => {
    recon.assertAlive();
    expect(seen.rounds.map((r) => [r.liveReadStatus, r.readyStatus])).toEqual(seen.rounds.map(() => [200, 200]));
  });

  it('a killed rebuild does not block the next one: `recon rebuild` finishes (exit 0)', () => {
    expect(seen.final.code, seen.final.stderr.join('\n')).toBe(0);
  });

  it('the read models after the rebuild equal the ones before any rebuild', () => {
    expect(seen.before['lead_lifecycle']?.length).toBe(BULK_LEADS + BOOKED);
    expect(snapshotDiff(seen.before, seen.after)).toEqual({});
  });
});
