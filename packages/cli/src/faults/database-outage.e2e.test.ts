/**
 * Issue 11, outage: recon's database refuses connections (`ALTER DATABASE … ALLOW_CONNECTIONS
 * false` plus its sessions terminated) for about eight seconds while lead-feed PUTs and Calendly and
 * GHL webhooks keep coming. During the outage every answer is an honest "retry later" (503 +
 * Retry-After, or 429 + Retry-After for GHL), never a 500 and never a 2xx; /healthz stays 200 and
 * /readyz is 503 naming the database. Afterwards the retried deliveries are accepted, each stored
 * once, and /readyz is 200 again without a restart.
 */
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALENDLY_SIGNING_KEY,
  isAccepted,
  notStoredOnce,
  Traffic,
  type Attempt,
  type Delivery,
} from './testing/fault-deliveries';
import {
  FaultWorld,
  http,
  readyFlag,
  readyReasons,
  setupWorkspace,
  type FaultRecon,
  type HttpResult,
} from './testing/faults-harness';

const OUTAGE_MS = 8_000;

let world: FaultWorld;
let recon: FaultRecon;
const traffic = new Traffic('out');

interface Probe {
  readonly path: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: HttpResult;
}

/** What the scenario observed; each `it` below checks one requirement against it. */
interface Observed {
  readonly pidBefore: number | undefined;
  readonly outageFrom: number;
  readonly outageTo: number;
  readonly probes: readonly Probe[];
  readonly acceptedBeforeRecovery: number;
  /** Why recovery (load accepted again, /readyz 200) did not happen in time, or null. */
  readonly recoveryFailure: string | null;
}
let seen: Observed;

const inside = (a: { startedAt: number; endedAt: number }) =>
  a.startedAt >= seen.outageFrom && a.endedAt <= seen.outageTo;
const during = (): Attempt[] => traffic.attempts.filter(inside);
const readyDuring = () => seen.probes.filter((p) => p.path === '/readyz' && inside(p));

function summary(list: readonly { result: HttpResult }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of list) {
    const key =
      `${a.result.status} ${String((a.result.body['error'] as { code?: string } | undefined)?.code ?? '')}`.trim();
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function scenario(): Promise<Observed> {
  const pidBefore = recon.proc.child.pid;
  let stop = false;
  let accepted = 0;
  let next = 0;
  // One client per kind, each retrying its refused delivery until it is accepted (as Calendly and GHL retry).
  const client = async (make: (i: number) => Delivery) => {
    while (!stop) {
      await traffic.untilAccepted(() => [recon.url], make(next++), { timeoutMs: 60_000, retryMs: 300 });
      accepted += 1;
    }
  };
  const clients = [
    client((i) => traffic.lead(i)),
    client((i) => traffic.booking(2 * i)),
    client((i) => traffic.booking(2 * i + 1)),
  ];
  await waitFor(() => accepted >= 6, {
    timeoutMs: 30_000,
    intervalMs: 50,
    description: 'load accepted before the outage',
  });

  await world.allowConnections(false);
  await world.terminateSessions();
  const outageFrom = Date.now();
  const probes: Probe[] = [];
  const sample = async (path: string) => {
    const startedAt = Date.now();
    const result = await http(recon.url, 'GET', path);
    probes.push({ path, startedAt, endedAt: Date.now(), result });
  };
  await waitFor(
    async () => {
      await Promise.all([sample('/readyz'), sample('/healthz')]);
      return Date.now() - outageFrom >= OUTAGE_MS;
    },
    { timeoutMs: OUTAGE_MS + 10_000, intervalMs: 500, description: 'the outage window' },
  );
  const outageTo = Date.now();
  await world.allowConnections(true);

  const acceptedBeforeRecovery = accepted;
  let recoveryFailure: string | null = null;
  try {
    await waitFor(() => accepted >= acceptedBeforeRecovery + 6, {
      timeoutMs: 45_000,
      intervalMs: 100,
      description: 'load accepted again after the outage',
    });
    await waitFor(async () => (await http(recon.url, 'GET', '/readyz')).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 250,
      description: '/readyz 200 again after the outage',
    });
  } catch (error) {
    recoveryFailure = error instanceof Error ? error.message : String(error);
  } finally {
    stop = true;
    await Promise.allSettled(clients);
  }
  return { pidBefore, outageFrom, outageTo, probes, acceptedBeforeRecovery, recoveryFailure };
}

beforeAll(async () => {
  world = await FaultWorld.create('faults-database-outage');
  recon = await world.start();
  const { ws, key } = await setupWorkspace(recon, traffic.signer.publicKeyPem, CALENDLY_SIGNING_KEY);
  traffic.bind(ws, key);
  await waitFor(async () => (await http(recon.url, 'GET', '/readyz')).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 200,
    description: '/readyz 200 before the outage',
  });
  seen = await scenario();
  console.log(
    `outage ${seen.outageTo - seen.outageFrom} ms: delivery answers ${JSON.stringify(summary(during()))}; /readyz ${JSON.stringify(summary(readyDuring()))}; recovery: ${seen.recoveryFailure ?? 'ok'}`,
  );
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('faults: the database refuses connections for ~8 s under lead-feed and webhook load', () => {
  it('the same process keeps running through the outage, and every kind of delivery was tried during it', () => {
    recon.assertAlive();
    expect(recon.proc.child.pid).toBe(seen.pidBefore);
    expect(recon.proc.stderr.join('\n')).not.toMatch(/Unhandled 'error' event/);
    expect(new Set(during().map((a) => a.delivery.kind))).toEqual(new Set(['lead', 'calendly', 'ghl']));
  });

  it('never answers 2xx during the outage (a 2xx means a durable write)', () => {
    expect(during().filter((a) => isAccepted(a.result))).toEqual([]);
  });

  it('answers only 503 + Retry-After (DATABASE_UNAVAILABLE / EVENT_STORE_UNAVAILABLE), or 429 + Retry-After WEBHOOK_RETRY_LATER for GHL, during the outage', () => {
    expect(traffic.dishonest(inside)).toEqual({});
  });

  it('/healthz stays 200 and /readyz is 503 with database: false during the outage', () => {
    expect(
      seen.probes
        .filter((p) => p.path === '/healthz')
        .map((p) => p.result.status)
        .filter((s) => s !== 200),
    ).toEqual([]);
    const ready = readyDuring();
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.map((p) => p.result.status).filter((s) => s !== 503)).toEqual([]);
    expect(ready.filter((p) => readyFlag(p.result.body, 'database') !== false).map((p) => p.result.body)).toEqual([]);
  });

  it('/readyz names the cause during the outage: reasons include DATABASE_UNREACHABLE', () => {
    expect(
      readyDuring()
        .filter((p) => !readyReasons(p.result.body).some((r) => r['code'] === 'DATABASE_UNREACHABLE'))
        .map((p) => p.result.body),
    ).toEqual([]);
  });

  it('rate-limits its warn/error log lines during the outage: at most two per failure kind, not one per retry', () => {
    const lines = recon.proc
      .logs()
      .filter(
        (l) => Number(l['level']) >= 40 && Number(l['time']) >= seen.outageFrom && Number(l['time']) <= seen.outageTo,
      );
    const byKind: Record<string, number> = {};
    for (const l of lines) {
      const kind = [l['msg'], l['part'], l['projection']].filter((x) => x !== undefined).join(' | ');
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    }
    console.log(`warn/error log lines during the outage: ${lines.length} ${JSON.stringify(byKind)}`);
    expect(lines.length).toBeLessThanOrEqual(30);
    expect(Object.fromEntries(Object.entries(byKind).filter(([, n]) => n > 2))).toEqual({});
  });

  it('recovers without a restart: /readyz 200 again, every refused delivery accepted on retry and stored exactly once', async () => {
    expect(seen.recoveryFailure).toBeNull();
    expect(recon.proc.child.pid).toBe(seen.pidBefore);
    const refused = new Set(during().map((a) => a.delivery));
    const accepted = new Set(traffic.accepted());
    expect([...refused].filter((d) => !accepted.has(d)).map((d) => `${d.kind} ${d.leadId}`)).toEqual([]);
    expect(await notStoredOnce(world, [...accepted])).toEqual([]);
  });
});
