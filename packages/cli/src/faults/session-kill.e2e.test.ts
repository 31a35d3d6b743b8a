/**
 * Issue 11, session kill: recon (child process, PostgreSQL event store) under light webhook and
 * lead-feed load while every session it holds on its database is ended five times, as a failover,
 * a `pg_ctl restart` or an idle-session timeout ends them. The process must never exit, every
 * delivery that got a 2xx must be in the event store exactly once, any refusal must be an honest
 * "retry later", and a delivery sent after each kill must be readable through the read API soon.
 */
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDLY_SIGNING_KEY, notStoredOnce, Traffic } from './testing/fault-deliveries';
import { FaultWorld, http, setupWorkspace, type FaultRecon } from './testing/faults-harness';

const KILLS = 5;
const PROJECTED_WITHIN_MS = 15_000;

let world: FaultWorld;
let recon: FaultRecon;
let ws = '';
let key = '';
const traffic = new Traffic('sk');

const urls = () => [recon.url];

/** Lead i then its booking, each retried until accepted; the lead is readable before its booking is sent (so it matches). */
async function probe(i: number): Promise<number> {
  const started = Date.now();
  const put = await traffic.untilAccepted(urls, traffic.lead(i), { timeoutMs: PROJECTED_WITHIN_MS });
  const position = String(put.body['position'] ?? '');
  await waitFor(
    async () =>
      (
        await http(
          recon.url,
          'GET',
          `/v1/workspaces/${ws}/leads/${traffic.leadId(i)}?minPosition=${encodeURIComponent(position)}`,
          { token: key },
        )
      ).status === 200,
    {
      timeoutMs: PROJECTED_WITHIN_MS,
      intervalMs: 200,
      description: `lead ${i} readable`,
    },
  );
  await traffic.untilAccepted(urls, traffic.booking(i), { timeoutMs: PROJECTED_WITHIN_MS });
  await waitFor(
    async () => {
      const r = await http(recon.url, 'GET', `/v1/workspaces/${ws}/leads/${traffic.leadId(i)}`, { token: key });
      return r.status === 200 && r.body['state'] === 'booked';
    },
    {
      timeoutMs: PROJECTED_WITHIN_MS,
      intervalMs: 200,
      description: `lead ${i}'s booking projected after a session kill`,
    },
  );
  return Date.now() - started;
}

/** What the scenario observed; each `it` below checks one requirement against it. */
interface Observed {
  /** Set when recon exited during the kills (its first stderr lines). */
  readonly crashed: string | null;
  readonly kills: {
    readonly kill: number;
    readonly terminated: number;
    readonly projectedMs: number | null;
    readonly failure: string | null;
  }[];
}
let seen: Observed;

async function scenario(): Promise<Observed> {
  let stop = false;
  let next = 1_000;
  let acceptedUnderLoad = 0;
  const worker = async () => {
    while (!stop) {
      const i = next++;
      await traffic.untilAccepted(urls, traffic.lead(i), { timeoutMs: 30_000 });
      await traffic.untilAccepted(urls, traffic.booking(i), { timeoutMs: 30_000 });
      acceptedUnderLoad += 2;
    }
  };
  const load = [worker(), worker()];
  let crashed: string | null = null;
  const exited = recon.proc.exited().then((code) => {
    crashed = `recon exited (${code}):\n${recon.proc.stderr.slice(0, 6).join('\n')}`;
  });
  const kills: Observed['kills'] = [];
  try {
    await probe(0); // the pipeline works before any kill
    for (let k = 1; k <= KILLS && crashed === null; k++) {
      // Some load between kills, so each kill lands on a busy process.
      const before = acceptedUnderLoad;
      await Promise.race([
        exited,
        waitFor(() => acceptedUnderLoad >= before + 4, {
          timeoutMs: 30_000,
          intervalMs: 50,
          description: 'load accepted between kills',
        }),
      ]).catch(() => undefined);
      if (crashed !== null) break;
      const terminated = await world.terminateSessions();
      try {
        const projectedMs = await Promise.race([
          probe(k),
          exited.then(() => Promise.reject(new Error('recon exited'))),
        ]);
        kills.push({ kill: k, terminated, projectedMs, failure: null });
      } catch (error) {
        kills.push({
          kill: k,
          terminated,
          projectedMs: null,
          failure: error instanceof Error ? error.message : String(error),
        });
      }
    }
  } finally {
    stop = true;
    await Promise.race([Promise.allSettled(load), exited]);
  }
  return { crashed, kills };
}

beforeAll(async () => {
  world = await FaultWorld.create('faults-session-kill');
  recon = await world.start();
  ({ ws, key } = await setupWorkspace(recon, traffic.signer.publicKeyPem, CALENDLY_SIGNING_KEY));
  traffic.bind(ws, key);
  seen = await scenario();
  console.log(
    `session kills: ${JSON.stringify(seen.kills)}; crashed: ${seen.crashed ?? 'no'}; attempts ${traffic.attempts.length}, accepted deliveries ${traffic.accepted().length}`,
  );
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('faults: every session recon holds on its database is terminated five times under load', () => {
  it('the process never exits', () => {
    expect(seen.crashed).toBeNull();
    recon.assertAlive();
    expect(recon.proc.stderr.join('\n')).not.toMatch(/Unhandled 'error' event|ELIFECYCLE/);
  });

  it(`a delivery sent after each kill is accepted and projected (read API) within ${PROJECTED_WITHIN_MS / 1000} s`, () => {
    expect(seen.kills.map((k) => k.failure)).toEqual(Array(KILLS).fill(null));
    expect(seen.kills.every((k) => k.terminated > 0)).toBe(true); // each kill ended live sessions
  });

  it('every delivery answered 2xx is in the event store exactly once', async () => {
    expect(traffic.accepted().length).toBeGreaterThan(0);
    expect(await notStoredOnce(world, traffic.accepted())).toEqual([]);
  });

  it('refusals, if any, are honest: 503 + Retry-After (GHL: 429 + Retry-After), never a 500', () => {
    // Transport failures (status 0) are a crashed process, covered above.
    const dishonest = Object.entries(traffic.dishonest()).filter(([k]) => !/ 0 /.test(k));
    expect(Object.fromEntries(dishonest)).toEqual({});
  });

  it('is ready again after the kills and still stops gracefully (SIGTERM → exit 0)', async () => {
    recon.assertAlive();
    expect((await http(recon.url, 'GET', '/healthz')).status).toBe(200);
    await waitFor(async () => (await http(recon.url, 'GET', '/readyz')).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: '/readyz 200 after the kills',
    });
    expect(await recon.proc.stop('SIGTERM', 30_000)).toBe(0);
  });
});
