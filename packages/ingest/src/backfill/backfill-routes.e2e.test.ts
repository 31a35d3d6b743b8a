import type { FastifyInstance } from 'fastify';
import { waitFor } from '@recon/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareApp, testSendError } from '../reconcile/testing/bare-app';
import { startHarness, type Harness } from '../reconcile/testing/reconcile-harness';
import { reconcileDb } from '../reconcile/reconcile-tables';
import { getBackfillJob } from './backfill-jobs';
import { backfillRoutes } from './backfill-routes';
import { resumeBackfills } from './resume-backfills';
import { runBackfill } from './run-backfill';
import { startBackfillJob } from './start-backfill-job';

let h: Harness;
let app: FastifyInstance;
let url = '';
/** Every line the routes logged (to prove failures are logged, without PII). */
const logged: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
const captureLog = {
  info: (obj: object, msg: string) => logged.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
  warn: (obj: object, msg: string) => logged.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  error: (obj: object, msg: string) => logged.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
};

beforeAll(async () => {
  h = await startHarness({
    name: 'backfill-routes',
    ghlSimLimit: { maxRequests: 10, windowMs: 1_000 },
    calendlySimLimit: { maxRequests: 100, windowMs: 1_000 },
  });
  ({ app, url } = await bareApp(
    backfillRoutes({
      reconcile: h.deps,
      sendError: testSendError,
      runner: { pageSize: 2, concurrency: 1 },
      log: captureLog,
    }),
  ));
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(url + path, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('backfill routes', () => {
  it('POST → 202 { id }; GET shows progress until completed, with rate and failures by code', async () => {
    const ws = await h.createWorkspace({ name: 'Routes' });
    for (let i = 0; i < 4; i++)
      await h.putLead(ws.id, `r-${i}`, { ghlContactId: `${ws.id}-r${i}`, email: `r${i}@example.com` });
    h.ghl.addAppointment({ locationId: ws.locationId, contactId: `${ws.id}-r1`, startTime: '2030-05-01T10:00:00Z' });
    h.ghl.server.injectFault({ kind: 'status', status: 401 }, { pathPrefix: `/contacts/${ws.id}-r3/` });
    const created = await call('POST', `/v1/workspaces/${ws.id}/backfills`, {
      providers: ['ghl', 'calendly'],
      from: '2030-01-01T00:00:00Z',
    });
    expect(created.status).toBe(202);
    const id = created.body['id'] as string;
    const final = await waitFor(
      async () => {
        const r = await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`);
        return r.body['status'] === 'completed' ? r.body : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(final).toMatchObject({
      id,
      leadsDone: 4,
      leadsTotal: 4,
      failures: { PROVIDER_UNAUTHORIZED: 1 },
      etaSeconds: null,
      providers: ['ghl', 'calendly'],
      from: '2030-01-01T00:00:00.000Z',
      // no `to`: bounded at `from` + the maximum span (730 days)
      to: '2032-01-01T00:00:00.000Z',
      errorCode: null,
    });
    expect(final['eventsAppended']).toBeGreaterThanOrEqual(2 + 4);
    expect(typeof final['ratePerMinute']).toBe('number');
  });

  it('cancel stops a running backfill after its page; unknown ids are 404; bad bodies 400', async () => {
    const ws = await h.createWorkspace({ name: 'Cancel', calendly: false });
    for (let i = 0; i < 30; i++)
      await h.putLead(ws.id, `k-${String(i).padStart(2, '0')}`, { ghlContactId: `${ws.id}-k${i}` });
    const { body } = await call('POST', `/v1/workspaces/${ws.id}/backfills`, {});
    const id = body['id'] as string;
    await waitFor(
      async () => ((await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`)).body['leadsDone'] as number) >= 2,
      { timeoutMs: 20_000 },
    );
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills/${id}/cancel`)).body['cancelRequested']).toBe(true);
    const final = await waitFor(
      async () => {
        const r = await call('GET', `/v1/workspaces/${ws.id}/backfills/${id}`);
        return r.body['status'] === 'canceled' ? r.body : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(final['leadsDone']).toBeLessThan(30);
    expect((await call('GET', `/v1/workspaces/${ws.id}/backfills/bf_nope`)).status).toBe(404);
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills/bf_nope/cancel`)).status).toBe(404);
    const other = await h.createWorkspace({ name: 'Other', calendly: false });
    expect((await call('GET', `/v1/workspaces/${other.id}/backfills/${id}`)).status).toBe(404);
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills`, { providers: ['zoom'] })).status).toBe(400);
    expect(
      (
        await call('POST', `/v1/workspaces/${ws.id}/backfills`, {
          from: '2030-02-01T00:00:00Z',
          to: '2030-01-01T00:00:00Z',
        })
      ).status,
    ).toBe(400);
  });
});

const DAY = 86_400_000;
const waitStatus = (ws: string, id: string, status: string) =>
  waitFor(
    async () => {
      const r = await call('GET', `/v1/workspaces/${ws}/backfills/${id}`);
      return r.body['status'] === status ? r.body : null;
    },
    { timeoutMs: 20_000 },
  );

describe('backfill limits', () => {
  it('five concurrent requests for one workspace: one 202, four 409 BACKFILL_RUNNING naming the running job; another workspace is not blocked; after cancel a new one starts', async () => {
    const ws = await h.createWorkspace({ name: 'Concurrent', calendly: false });
    for (let i = 0; i < 20; i++)
      await h.putLead(ws.id, `c-${String(i).padStart(2, '0')}`, { ghlContactId: `${ws.id}-c${i}` });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => call('POST', `/v1/workspaces/${ws.id}/backfills`, {})),
    );
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted).toHaveLength(1);
    const id = accepted[0]?.body['id'] as string;
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(4);
    for (const r of refused)
      expect(r.body).toEqual({
        error: {
          code: 'BACKFILL_RUNNING',
          message: expect.any(String),
          details: [{ in: 'backfills', path: id, code: 'BACKFILL_RUNNING' }],
        },
      });
    const other = await h.createWorkspace({ name: 'Concurrent other', calendly: false });
    const otherJob = await call('POST', `/v1/workspaces/${other.id}/backfills`, {});
    expect(otherJob.status).toBe(202);
    await call('POST', `/v1/workspaces/${ws.id}/backfills/${id}/cancel`);
    await waitStatus(ws.id, id, 'canceled');
    const next = await call('POST', `/v1/workspaces/${ws.id}/backfills`, {});
    expect(next.status).toBe(202);
    await call('POST', `/v1/workspaces/${ws.id}/backfills/${next.body['id'] as string}/cancel`);
    await waitStatus(ws.id, next.body['id'] as string, 'canceled');
    await waitStatus(other.id, otherJob.body['id'] as string, 'completed');
  });

  it('the range is bounded: a 100-year or an 800-day range → 400 BACKFILL_RANGE_TOO_LONG, inverted → 400 BACKFILL_RANGE_INVALID; a missing end is filled in; no range is a full check', async () => {
    const ws = await h.createWorkspace({ name: 'Ranges', calendly: false });
    const post = (body: unknown) => call('POST', `/v1/workspaces/${ws.id}/backfills`, body);
    const century = await post({ from: '1990-01-01T00:00:00Z', to: '2090-01-01T00:00:00Z' });
    expect(century.status).toBe(400);
    expect((century.body['error'] as { code: string }).code).toBe('BACKFILL_RANGE_TOO_LONG');
    const longer = await post({
      from: '2030-01-01T00:00:00Z',
      to: new Date(Date.parse('2030-01-01') + 800 * DAY).toISOString(),
    });
    expect((longer.body['error'] as { code: string }).code).toBe('BACKFILL_RANGE_TOO_LONG');
    const inverted = await post({ from: '2030-02-01T00:00:00Z', to: '2030-01-01T00:00:00Z' });
    expect(inverted.status).toBe(400);
    expect((inverted.body['error'] as { code: string }).code).toBe('BACKFILL_RANGE_INVALID');
    const exact = await post({
      from: '2030-01-01T00:00:00Z',
      to: new Date(Date.parse('2030-01-01') + 730 * DAY).toISOString(),
    });
    expect(exact.status).toBe(202);
    await waitStatus(ws.id, exact.body['id'] as string, 'completed');
    // no range: a full check of every lead (the runner bounds its window scans itself)
    const open = await post({});
    expect(open.status).toBe(202);
    const view = await waitStatus(ws.id, open.body['id'] as string, 'completed');
    expect(view).toMatchObject({ from: null, to: null });
  });

  it('a background backfill that fails shows failed with its error code and is logged with ids and the code only', async () => {
    const ws = await h.createWorkspace({ name: 'Failing' });
    // no leads: the only Calendly call is the organization's window scan, and it is refused
    h.calendly.server.injectFault(
      { kind: 'status', status: 401 },
      { pathPrefix: '/scheduled_events', query: { organization: ws.organizationUri }, count: 10 },
    );
    const created = await call('POST', `/v1/workspaces/${ws.id}/backfills`, { providers: ['calendly'] });
    expect(created.status).toBe(202);
    const id = created.body['id'] as string;
    const failed = await waitStatus(ws.id, id, 'failed');
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'PROVIDER_UNAUTHORIZED' });
    h.calendly.server.clearFaults();
    const line = await waitFor(() => logged.find((l) => l.obj['backfill'] === id && l.level === 'error') ?? null, {
      timeoutMs: 5_000,
    });
    expect(line).toEqual({
      level: 'error',
      obj: { backfill: id, workspaceId: ws.id, code: 'PROVIDER_UNAUTHORIZED' },
      msg: 'backfill failed',
    });
    // the workspace may start another one at once
    expect((await call('POST', `/v1/workspaces/${ws.id}/backfills`, { providers: ['ghl'] })).status).toBe(202);
  });

  it('a runner that throws (here: credentials cannot be opened) leaves its job failed with BACKFILL_CRASHED, not running', async () => {
    const ws = await h.createWorkspace({ name: 'Crashing', calendly: false });
    await h.putLead(ws.id, 'x-1', { ghlContactId: `${ws.id}-x1`, email: 'crash@example.com' });
    const started = await startBackfillJob(reconcileDb(h.db), {
      workspaceId: ws.id,
      providers: ['ghl'],
      from: '2030-01-01T00:00:00.000Z',
      to: '2031-01-01T00:00:00.000Z',
      now: new Date(),
    });
    if (!started.ok) throw new Error('expected a new job');
    const crashing = {
      ...h.deps,
      secretBox: {
        seal: h.deps.secretBox.seal,
        open: () => {
          throw new Error('boom');
        },
      },
    };
    await expect(runBackfill(crashing, { jobId: started.job.id })).rejects.toThrow('boom');
    const row = await getBackfillJob(reconcileDb(h.db), ws.id, started.job.id);
    expect(row).toMatchObject({ status: 'failed', error_code: 'BACKFILL_CRASHED', holder: null });

    // the scheduler's resume of an orphaned job: logged with ids and the code, the job failed, the loop goes on
    const orphan = await startBackfillJob(reconcileDb(h.db), {
      workspaceId: ws.id,
      providers: ['ghl'],
      from: '2030-01-01T00:00:00.000Z',
      to: '2031-01-01T00:00:00.000Z',
      now: new Date(),
    });
    if (!orphan.ok) throw new Error('expected a new job');
    const resumed = await resumeBackfills(crashing, { log: captureLog });
    expect(resumed).toContainEqual({ ok: false, code: 'BACKFILL_CRASHED' });
    expect(logged).toContainEqual({
      level: 'error',
      obj: { backfill: orphan.job.id, workspaceId: ws.id, code: 'BACKFILL_CRASHED', cause: 'Error' },
      msg: 'backfill failed',
    });
    expect((await getBackfillJob(reconcileDb(h.db), ws.id, orphan.job.id))?.status).toBe('failed');
    expect(JSON.stringify(logged)).not.toContain('@example.com');
  });
});
