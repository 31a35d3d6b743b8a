/**
 * Review tasks by severity over real HTTP on real PostgreSQL: `GET …/tasks?severity=` filters (400
 * for an unknown one), and `GET …/stats` counts open tasks per severity and per kind from the
 * counters — exact after a resolution and equal after a rebuild.
 */
import { rebuildProjections } from '@recon/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startReadTestContext, type ReadTestContext } from '../testing/read-test-context';
import { Seeder } from '../testing/seeder';

let t: ReadTestContext;
let a: Awaited<ReturnType<ReadTestContext['workspace']>>;

beforeAll(async () => {
  t = await startReadTestContext('task-severity');
  a = await t.workspace('A');
  const head = await new Seeder(a.ws)
    .canceledMeeting('lead-canceled')
    .rescheduledMeeting('lead-moved')
    .registered('lead-no-show')
    .observe({
      leadId: 'lead-no-show',
      providerAppointmentId: 'appt-ns',
      providerUpdatedAt: '2030-06-01T10:00:00.000Z',
    })
    .observe({
      leadId: 'lead-no-show',
      providerAppointmentId: 'appt-ns',
      status: 'no_show',
      providerUpdatedAt: '2030-06-19T10:00:00.000Z',
      observedAt: '2030-06-19T10:00:05.000Z',
    })
    .flush(t.store);
  await t.caughtUp(head);
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string) => http(t.baseUrl, 'GET', `/v1/workspaces/${a.ws}${path}`, { headers: a.auth });
const kinds = (items: { kind: string; severity: string }[]) => items.map((i) => `${i.severity}:${i.kind}`).sort();

describe('tasks by severity', () => {
  it('filters open tasks by severity, alone and with kind; 400 for an unknown severity', async () => {
    expect(kinds((await get('/tasks?severity=red')).body.items)).toEqual([
      'red:meeting-canceled',
      'red:meeting-rescheduled',
    ]);
    expect(kinds((await get('/tasks?severity=amber')).body.items)).toEqual(['amber:meeting-no-show']);
    expect(kinds((await get('/tasks?severity=red&kind=meeting-no-show')).body.items)).toEqual([]);
    expect(kinds((await get('/tasks')).body.items)).toHaveLength(3);
    const bad = await get('/tasks?severity=green');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('stats count open tasks per severity and kind, exactly after a resolution and after a rebuild', async () => {
    const before = await get('/stats');
    expect(before.body).toMatchObject({
      openTasks: 3,
      openTasksBySeverity: { red: 2, amber: 1 },
      openTasksByKind: { 'meeting-canceled': 1, 'meeting-rescheduled': 1, 'meeting-no-show': 1 },
    });
    const [red] = (await get('/tasks?kind=meeting-canceled')).body.items as { id: string }[];
    const resolved = await http(t.baseUrl, 'POST', `/v1/workspaces/${a.ws}/tasks/${red?.id}/resolve`, {
      headers: a.auth,
      body: {},
    });
    expect(resolved.status).toBe(200);
    const after = await get(`/stats?minPosition=${encodeURIComponent(resolved.body.position)}`);
    expect(after.body).toMatchObject({
      openTasks: 2,
      openTasksBySeverity: { red: 1, amber: 1 },
      openTasksByKind: { 'meeting-canceled': 0, 'meeting-rescheduled': 1, 'meeting-no-show': 1 },
    });
    expect((await rebuildProjections({ store: t.store, db: t.db })).ok).toBe(true);
    await t.caughtUp();
    const rebuilt = await get('/stats');
    expect(rebuilt.body.openTasksBySeverity).toEqual(after.body.openTasksBySeverity);
    expect(rebuilt.body.openTasksByKind).toEqual(after.body.openTasksByKind);
  });
});
