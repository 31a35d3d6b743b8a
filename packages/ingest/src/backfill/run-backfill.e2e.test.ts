import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@recon/eventstore';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { createBackfillJob, getBackfillJob } from './backfill-jobs';
import { runBackfill } from './run-backfill';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./testing/backfill-child.ts', import.meta.url));
const GHL = { maxRequests: 20, windowMs: 500 };
/** The child runner paces itself slower than the simulator allows, so the kill lands mid-way. */
const CHILD_GHL = { maxRequests: 4, windowMs: 500 };
const CALENDLY = { maxRequests: 100, windowMs: 1_000 };
const LEADS = 30;
const base = Date.parse('2030-03-01T10:00:00Z');

let a: Harness;
let b: Harness;

/** The same provider history in any harness: deterministic simulator ids, same call order. */
async function seed(h: Harness): Promise<{ id: string }> {
  const ws = await h.createWorkspace({ name: 'Backfill' });
  for (let i = 0; i < LEADS; i++) {
    const n = String(i).padStart(2, '0');
    await h.putLead(ws.id, `lead-${n}`, { email: `lead${n}@example.com`, ghlContactId: `contact-${n}` });
    if (i % 2 === 0) {
      const appt = h.ghl.addAppointment({
        locationId: ws.locationId,
        contactId: `contact-${n}`,
        startTime: base + i * 3_600_000,
        dateAdded: base - 86_400_000,
      });
      if (i % 6 === 0) h.ghl.updateAppointment(appt.id, { appointmentStatus: 'cancelled', at: base - 3_600_000 });
    }
    if (i % 3 === 0) {
      const booking = h.calendly.addBooking({
        organizationUri: ws.organizationUri,
        email: `lead${n}@example.com`,
        startTime: base + i * 7_200_000,
        at: base - 86_400_000,
      });
      if (i % 9 === 0) h.calendly.cancelInvitee(booking.inviteeUri, { at: base - 7_200_000 });
    }
  }
  h.calendly.addBooking({
    organizationUri: ws.organizationUri,
    email: 'unknown.person@example.com',
    startTime: base,
    at: base - 86_400_000,
  });
  return ws;
}

/** Events with what legitimately differs between two runs (workspace id, email hash keys, observation and check times) taken out. */
function normalized(events: readonly RecordedEvent[], wsId: string): string[] {
  return events
    .map((e) => {
      const { observedAt: _o, checkedAt: _c, linkedAt: _l, ...data } = e.data as Record<string, unknown>;
      // Email hashes are keyed per workspace: equal emails hash differently in the two workspaces.
      return JSON.stringify({ type: e.type, stream: e.streamName.replace(wsId, 'WS'), data })
        .replaceAll(wsId, 'WS')
        .replace(/[0-9a-f]{64}/g, 'HASH');
    })
    .sort();
}

function spawnChild(
  h: Harness,
  jobId: string,
  holder: string,
): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: h.url,
      JOB_ID: jobId,
      HOLDER: holder,
      LEASE_TTL_MS: '1500',
      PAGE_SIZE: '3',
      GHL_MAX: String(CHILD_GHL.maxRequests),
      GHL_WINDOW_MS: String(CHILD_GHL.windowMs),
      CAL_MAX: String(CALENDLY.maxRequests),
      CAL_WINDOW_MS: String(CALENDLY.windowMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      lines.push(JSON.parse(buffer.slice(0, at)) as Record<string, unknown>);
      buffer = buffer.slice(at + 1);
    }
  });
  return { child, lines };
}

beforeAll(async () => {
  [a, b] = await Promise.all([
    startHarness({ name: 'backfill-killed', ghlSimLimit: GHL, calendlySimLimit: CALENDLY }),
    startHarness({ name: 'backfill-clean', ghlSimLimit: GHL, calendlySimLimit: CALENDLY }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('runBackfill', () => {
  it('kill -9 of a child runner mid-way, restart: finishes with the same events as an uninterrupted run; a re-run appends 0', async () => {
    const [wsA, wsB] = await Promise.all([seed(a), seed(b)]);
    const range = { from: '2030-01-01T00:00:00.000Z', to: '2031-01-01T00:00:00.000Z' };
    const beforeA = (await a.events()).length;
    const beforeB = (await b.events()).length;

    // uninterrupted, in process
    const clean = await createBackfillJob(reconcileDb(b.db), {
      workspaceId: wsB.id,
      providers: ['ghl', 'calendly'],
      ...range,
      now: new Date(),
    });
    const done = await runBackfill(b.deps, { jobId: clean.id, pageSize: 3 });
    expect(done.ok && done.view).toMatchObject({ status: 'completed', leadsDone: LEADS, leadsTotal: LEADS });

    // killed after a few pages, then restarted
    const job = await createBackfillJob(reconcileDb(a.db), {
      workspaceId: wsA.id,
      providers: ['ghl', 'calendly'],
      ...range,
      now: new Date(),
    });
    const first = spawnChild(a, job.id, 'runner-1');
    await waitFor(() => first.lines.some((l) => Number(l['leadsDone']) >= 9), { timeoutMs: 30_000 });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const mid = await getBackfillJob(reconcileDb(a.db), wsA.id, job.id);
    expect(mid?.status).toBe('running');
    expect(mid?.leads_done).toBeLessThan(LEADS);
    // restart (in this process: a second child would only add start-up time): once the dead
    // runner's lease expires, the job is claimed and continues from its saved cursor
    const restarted = await waitFor(
      async () => {
        const r = await runBackfill(a.deps, { jobId: job.id, holder: 'runner-2', pageSize: 3 });
        return r.ok || r.code !== 'BACKFILL_BUSY' ? r : null;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(restarted.ok && restarted.view.status).toBe('completed');
    const resumed = await getBackfillJob(reconcileDb(a.db), wsA.id, job.id);
    expect(resumed).toMatchObject({ status: 'completed', leads_done: LEADS, leads_total: LEADS });

    const eventsA = (await a.events()).slice(beforeA);
    const eventsB = (await b.events()).slice(beforeB);
    expect(eventsB.length).toBeGreaterThan(LEADS);
    expect(normalized(eventsA, wsA.id)).toEqual(normalized(eventsB, wsB.id));
    expect(
      eventsB.filter((e) => e.type === 'AppointmentBooked' && (e.data as { leadId: unknown }).leadId === null),
    ).toHaveLength(1);

    // a second run over the same range appends nothing
    const again = await createBackfillJob(reconcileDb(b.db), {
      workspaceId: wsB.id,
      providers: ['ghl', 'calendly'],
      ...range,
      now: new Date(),
    });
    const rerun = await runBackfill(b.deps, { jobId: again.id, pageSize: 10 });
    expect(rerun.ok && rerun.view).toMatchObject({ status: 'completed', eventsAppended: 0, leadsDone: LEADS });
    expect((await b.events()).length).toBe(beforeB + eventsB.length);
    expect(rerun.ok && rerun.view.failures).toEqual({});

    for (const h of [a, b]) {
      expect(h.ghl.server.methodsSeen()).toEqual(['GET']);
      expect(h.calendly.server.methodsSeen()).toEqual(['GET']);
      expect(h.ghl.server.rateLimitRejections).toBe(0);
    }
  }, 120_000);
});
