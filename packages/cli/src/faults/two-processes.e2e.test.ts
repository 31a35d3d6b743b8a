/**
 * Issue 11, two recon processes on one database (same secrets, two ports): both serve webhooks and
 * the lead feed, each projection is run by exactly one of them (its advisory lock, traced from
 * pg_locks to the OS process), and when the holder is killed with SIGKILL the other takes over
 * within a bounded time (measured and printed) without applying any event twice.
 */
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_SIGNING_KEY, Traffic } from './testing/fault-deliveries';
import { FaultWorld, http, setupWorkspace, type FaultRecon } from './testing/faults-harness';
import { projectionLockHolders, type LockHolder } from './testing/projection-locks';
import { NO_DRIFT, readModelDrift, type ReadModelDrift } from './testing/read-model-checks';

const BEFORE = 12; // leads (each with one booking) before the kill
const AFTER = 8; // leads sent to the survivor right after the kill
const TAKEOVER_BOUND_MS = 20_000;

let world: FaultWorld;
let a: FaultRecon;
let b: FaultRecon;
let ws = '';
const traffic = new Traffic('two');

interface Observed {
  readonly servedBy: Record<string, number>;
  readonly holdersBefore: LockHolder[];
  readonly killed: 'a' | 'b';
  readonly takeoverMs: number | null;
  readonly holdersAfter: LockHolder[];
  readonly afterKillFailure: string | null;
  readonly drift: ReadModelDrift;
}
let seen: Observed;

const pids = () => [a.proc.child.pid ?? -1, b.proc.child.pid ?? -1];
const nameOf = (pid: number | null) => (pid === a.proc.child.pid ? 'a' : pid === b.proc.child.pid ? 'b' : 'unknown');

/** Lead i through `put`, readable through `read`, then its booking through `read` (so it matches). */
async function leadWithBooking(
  i: number,
  put: FaultRecon,
  read: FaultRecon,
  servedBy: Record<string, number>,
): Promise<void> {
  const r = await traffic.untilAccepted(() => [put.url], traffic.lead(i), { timeoutMs: 20_000 });
  servedBy[put === a ? 'a' : 'b'] = (servedBy[put === a ? 'a' : 'b'] ?? 0) + 1;
  const position = String(r.body['position'] ?? '');
  await waitFor(async () => (await traffic.readLead(read.url, i, position)).status === 200, {
    timeoutMs: 20_000,
    intervalMs: 200,
    description: `lead ${i} readable`,
  });
  await traffic.untilAccepted(() => [read.url], traffic.booking(i), { timeoutMs: 20_000 });
  servedBy[read === a ? 'a' : 'b'] = (servedBy[read === a ? 'a' : 'b'] ?? 0) + 1;
}

async function scenario(): Promise<Observed> {
  for (const p of [a, b])
    await waitFor(async () => (await http(p.url, 'GET', '/readyz')).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: '/readyz 200',
    });
  const servedBy: Record<string, number> = {};
  for (let i = 0; i < BEFORE; i++) await leadWithBooking(i, i % 2 === 0 ? a : b, i % 2 === 0 ? b : a, servedBy);
  for (let i = 0; i < BEFORE; i++) await traffic.waitBooked(a.url, i, 20_000);
  const holdersBefore = await waitFor(
    async () => {
      const h = await projectionLockHolders(world, pids());
      return h.length === 2 && h.every((x) => x.osPid !== null) ? h : null;
    },
    { timeoutMs: 10_000, intervalMs: 200, description: 'both projection locks held by a recon process' },
  );

  const core = holdersBefore.find((h) => h.projection === 'core')!;
  const killed = nameOf(core.osPid) === 'a' ? 'a' : 'b';
  const victim = killed === 'a' ? a : b;
  const survivor = killed === 'a' ? b : a;
  const survivorPid = survivor.proc.child.pid ?? -1;
  victim.proc.child.kill('SIGKILL');
  const killedAt = Date.now();
  // Traffic keeps coming to the survivor while it takes over.
  let afterKillFailure: string | null = null;
  const afterKill = (async () => {
    for (let i = BEFORE; i < BEFORE + AFTER; i++) await leadWithBooking(i, survivor, survivor, servedBy);
    for (let i = BEFORE; i < BEFORE + AFTER; i++) await traffic.waitBooked(survivor.url, i, 20_000);
  })().catch((error: unknown) => {
    afterKillFailure = error instanceof Error ? error.message : String(error);
  });
  let takeoverMs: number | null = null;
  let holdersAfter: LockHolder[] = [];
  try {
    holdersAfter = await waitFor(
      async () => {
        const h = await projectionLockHolders(world, pids());
        return h.length === 2 && h.every((x) => x.osPid === survivorPid) ? h : null;
      },
      { timeoutMs: 45_000, intervalMs: 100, description: 'both projection locks held by the survivor' },
    );
    takeoverMs = Date.now() - killedAt;
  } catch {
    holdersAfter = await projectionLockHolders(world, pids());
  }
  await afterKill;
  const booked = Array.from({ length: BEFORE + AFTER }, (_, i) => traffic.leadId(i));
  return {
    servedBy,
    holdersBefore,
    killed,
    takeoverMs,
    holdersAfter,
    afterKillFailure,
    drift: await readModelDrift(world, ws, booked),
  };
}

beforeAll(async () => {
  world = await FaultWorld.create('faults-two-processes');
  a = await world.start();
  const setup = await setupWorkspace(a, traffic.signer.publicKeyPem, CALENDLY_SIGNING_KEY);
  ws = setup.ws;
  traffic.bind(setup.ws, setup.key);
  b = await world.start();
  seen = await scenario();
  const show = (h: LockHolder[]) => h.map((x) => `${x.projection}@${nameOf(x.osPid)}`).join(',');
  console.log(
    `two processes: served ${JSON.stringify(seen.servedBy)}; locks before ${show(seen.holdersBefore)}; SIGKILL ${seen.killed}; takeover ${seen.takeoverMs ?? 'none'} ms; locks after ${show(seen.holdersAfter)}`,
  );
}, 240_000);

afterAll(async () => {
  await world?.close();
});

describe('faults: two recon processes on one database, the projection holder killed with SIGKILL', () => {
  it('both processes accept webhooks and lead-feed writes', () => {
    expect(seen.servedBy['a']).toBeGreaterThan(0);
    expect(seen.servedBy['b']).toBeGreaterThan(0);
  });

  it('each projection is run by exactly one of the two processes', () => {
    expect(seen.holdersBefore.map((h) => h.projection).sort()).toEqual(['core', 'identities']);
    for (const h of seen.holdersBefore) expect(['a', 'b']).toContain(nameOf(h.osPid));
  });

  it(`the survivor takes over every projection within ${TAKEOVER_BOUND_MS / 1000} s of the SIGKILL`, () => {
    expect(seen.takeoverMs).not.toBeNull();
    expect(seen.takeoverMs!).toBeLessThanOrEqual(TAKEOVER_BOUND_MS);
    const survivor = seen.killed === 'a' ? b : a;
    survivor.assertAlive();
  });

  it('deliveries sent to the survivor during and after the takeover are accepted and projected', () => {
    expect(seen.afterKillFailure).toBeNull();
  });

  it('no event was applied twice (or skipped): read models agree with the event store', () => {
    expect(seen.drift).toEqual(NO_DRIFT);
  });
});
