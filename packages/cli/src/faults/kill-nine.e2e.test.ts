/**
 * Issue 11, kill -9 during a webhook storm: recon is killed with SIGKILL at random moments while
 * four clients send lead-feed PUTs and Calendly/GHL bookings, and restarted on the same port each
 * time (ROUNDS rounds). The clients retry what was not accepted. Afterwards every delivery that got
 * a 2xx is in the store exactly once, and the read models equal a clean rebuild (`recon rebuild`).
 * The kill delays are printed so a failing round can be replayed.
 */
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_SIGNING_KEY, notStoredOnce, Traffic, type Delivery } from './testing/fault-deliveries';
import { FaultWorld, setupWorkspace, type FaultRecon } from './testing/faults-harness';
import {
  NO_DRIFT,
  readModelDrift,
  readModelSnapshot,
  snapshotDiff,
  type ReadModelDrift,
} from './testing/read-model-checks';

const ROUNDS = 2; // CI: two rounds keep the file under ~90 s on two cores (each restart is a full `recon start`)
const CLIENTS = 4;
// No scheduler: its reconciliation checks would append events between the live snapshot and the rebuild.
const ROLES = 'api,ingest,projections';

let world: FaultWorld;
let recon: FaultRecon;
let ws = '';
const traffic = new Traffic('k9');

interface Observed {
  readonly killDelaysMs: number[];
  readonly sent: Delivery[];
  readonly unfinished: string[];
  readonly quiescent: string | null;
  readonly drift: ReadModelDrift;
  readonly live: Record<string, string[]>;
  readonly rebuild: { code: number | null; stderr: string[] };
  readonly rebuilt: Record<string, string[]>;
}
let seen: Observed;

/** The store's head as a position (`<xid>:<position>`), or null when empty. */
async function headPosition(): Promise<string | null> {
  const rows = await world.query<{ p: string }>(
    `SELECT transaction_id::text || ':' || position AS p FROM eventstore.events ORDER BY transaction_id DESC, position DESC LIMIT 1`,
  );
  return rows[0]?.p ?? null;
}

/** Every projection passed the head, no link request is pending, and the head did not move since the last poll. */
async function waitQuiescent(): Promise<string | null> {
  let last: string | null = null;
  try {
    await waitFor(
      async () => {
        const head = await headPosition();
        const pending = await world.query<{ n: string }>(
          `SELECT count(*) AS n FROM projection_link_requests WHERE status = 'pending'`,
        );
        const read = head === null ? 200 : (await traffic.readLead(recon.url, 0, head)).status;
        const still = head === last;
        last = head;
        return still && read === 200 && Number(pending[0]?.n ?? 0) === 0;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'projections caught up with a still store' },
    );
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function scenario(): Promise<Omit<Observed, 'live' | 'rebuild' | 'rebuilt'>> {
  const sent: Delivery[] = [];
  const unfinished: string[] = [];
  let stop = false;
  let next = 1;
  let accepted = 0;
  const client = async () => {
    while (!stop) {
      const i = next++;
      for (const d of [traffic.lead(i), traffic.booking(i)]) {
        sent.push(d);
        // Long enough to ride out a restart (the retries meet a refused port, then the new process).
        await traffic
          .untilAccepted(() => [recon.url], d, { timeoutMs: 90_000, retryMs: 200 })
          .catch(() => unfinished.push(`${d.kind} ${d.leadId}`));
        accepted += 1;
      }
    }
  };
  await traffic.untilAccepted(() => [recon.url], traffic.lead(0), { timeoutMs: 10_000 }); // lead 0: the quiescence probe
  const clients = Array.from({ length: CLIENTS }, client);
  const killDelaysMs: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const delay = 300 + Math.floor(Math.random() * 1_200);
      killDelaysMs.push(delay);
      const from = Date.now();
      const before = accepted;
      // The storm runs for `delay` ms (and at least a few deliveries) before the kill.
      await waitFor(() => Date.now() - from >= delay && accepted >= before + 2, {
        timeoutMs: 30_000,
        intervalMs: 10,
        description: 'storm running before the kill',
      });
      recon.proc.child.kill('SIGKILL');
      await recon.proc.exited();
      recon = await world.start({ port: recon.port, roles: ROLES });
    }
    const after = accepted;
    await waitFor(() => accepted >= after + 8, {
      timeoutMs: 30_000,
      intervalMs: 50,
      description: 'storm accepted after the last restart',
    });
  } finally {
    stop = true;
    await Promise.allSettled(clients);
  }
  const quiescent = await waitQuiescent();
  const bookedLeads = [
    ...new Set(
      traffic
        .accepted()
        .filter((d) => d.kind !== 'lead')
        .map((d) => d.leadId),
    ),
  ];
  return { killDelaysMs, sent, unfinished, quiescent, drift: await readModelDrift(world, ws, bookedLeads) };
}

beforeAll(async () => {
  world = await FaultWorld.create('faults-kill-nine');
  recon = await world.start({ roles: ROLES });
  const setup = await setupWorkspace(recon, traffic.signer.publicKeyPem, CALENDLY_SIGNING_KEY);
  ws = setup.ws;
  traffic.bind(setup.ws, setup.key);
  const observed = await scenario();
  const live = await readModelSnapshot(world, ws);
  await recon.proc.stop('SIGTERM', 30_000);
  const rebuild = await world.run(['rebuild'], 90_000);
  const rebuilt = await readModelSnapshot(world, ws);
  seen = { ...observed, live, rebuild, rebuilt };
  console.log(
    `kill -9 rounds: delays ${JSON.stringify(seen.killDelaysMs)} ms; deliveries sent ${seen.sent.length}, accepted ${traffic.accepted().length}, attempts ${traffic.attempts.length}; rows ${JSON.stringify(Object.fromEntries(Object.entries(live).map(([t, r]) => [t, r.length])))}`,
  );
}, 300_000);

afterAll(async () => {
  await world?.close();
});

describe(`faults: recon killed with SIGKILL at random moments of a webhook storm (${ROUNDS} rounds)`, () => {
  it('every delivery is accepted on retry after the restarts, and each accepted one is stored exactly once', async () => {
    expect(seen.unfinished).toEqual([]);
    expect(traffic.accepted().length).toBe(seen.sent.length + 1);
    expect(await notStoredOnce(world, traffic.accepted())).toEqual([]);
  });

  it('the restarted recon catches up: every projection passes the head and the link requests drain', () => {
    expect(seen.quiescent).toBeNull();
  });

  it('no event applied twice or skipped: read models agree with the event store', () => {
    expect(seen.drift).toEqual(NO_DRIFT);
  });

  it('the read models equal a clean rebuild (`recon rebuild`)', () => {
    expect(seen.rebuild.code, seen.rebuild.stderr.join('\n')).toBe(0);
    expect(seen.live['lead_lifecycle']?.length).toBeGreaterThan(0);
    expect(snapshotDiff(seen.live, seen.rebuilt)).toEqual({});
  });
});
