/**
 * Defect 9: GHL webhook deliveries in any order (retries, parallel delivery, duplicates) give the
 * same lead state, open review tasks and automation gate as the same deliveries in order. An older
 * observation whose times differ from what the stream knows is evidence of a reschedule that
 * happened, not noise. fast-check prints `{ seed, path }` on failure; FC_RUNS raises the run count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppointmentStatus } from '../events/appointment-events';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadLifecycle } from '../lead-lifecycle/evolve-lead-lifecycle';
import { currentAppointment, initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import type { ObserveProviderAppointment } from '../observation';
import { observation, observeAcrossStreams, registered } from '../testing/builders';
import { automationGate } from './automation-gate';
import { evolveLeadTasks, initialLeadTasks, openLeadTasks } from './lead-tasks';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 100) };
const NOW = '2030-06-10T00:00:00.000Z';
const STARTS = ['2030-06-18T15:00:00.000Z', '2030-06-19T15:00:00.000Z', '2030-06-20T09:00:00.000Z'];
const plus30 = (iso: string) => new Date(Date.parse(iso) + 30 * 60_000).toISOString();
const version = (i: number) => new Date(Date.UTC(2030, 5, 1, 10, i)).toISOString();

/**
 * One GHL appointment's history as GHL holds it: AppointmentCreate, then AppointmentUpdates (new
 * times, a status, or both; facts may return to earlier values), maybe an AppointmentDelete.
 */
function ghlHistoryArb(id: string): fc.Arbitrary<ObserveProviderAppointment[]> {
  const fact = fc.record({
    status: fc.constantFrom<AppointmentStatus>('scheduled', 'scheduled', 'canceled', 'showed', 'no_show', 'invalid'),
    start: fc.constantFrom(...STARTS),
  });
  return fc
    .record({ create: fc.constantFrom(...STARTS), updates: fc.array(fact, { maxLength: 4 }), deleted: fc.boolean() })
    .map(({ create, updates, deleted }) => {
      const facts = [{ status: 'scheduled' as AppointmentStatus, start: create }, ...updates];
      const versions = facts.map((f, i) =>
        observation({
          providerAppointmentId: id,
          status: f.status,
          startAt: f.start,
          endAt: plus30(f.start),
          providerUpdatedAt: version(i + 1),
        }),
      );
      const last = versions[versions.length - 1];
      if (deleted && last)
        versions.push({ ...last, status: 'canceled', deleted: true, providerUpdatedAt: version(versions.length + 1) });
      return versions;
    });
}

/** Deliveries: every version at least once, some twice (retries), in any order. */
function shuffledWithDuplicatesArb(
  versions: readonly ObserveProviderAppointment[],
): fc.Arbitrary<ObserveProviderAppointment[]> {
  return fc
    .tuple(fc.subarray([...versions]), fc.shuffledSubarray([...versions], { minLength: versions.length }))
    .chain(([dups, all]) => fc.shuffledSubarray([...all, ...dups], { minLength: all.length + dups.length }));
}

/** What must not depend on delivery order: state, current appointment, open tasks, gate. */
function outcome(deliveries: readonly ObserveProviderAppointment[]) {
  const withArrival = deliveries.map((o, i) => ({
    ...o,
    observedAt: new Date(Date.UTC(2030, 5, 2, 0, i)).toISOString(),
  }));
  const events: ReconEvent[] = [registered(), ...observeAcrossStreams(withArrival)];
  let lead = initialLeadLifecycle();
  let tasks = initialLeadTasks();
  for (const e of events) {
    lead = evolveLeadLifecycle(lead, e);
    tasks = evolveLeadTasks(tasks, lead, e, 'observedAt' in e.data ? e.data.observedAt : NOW);
  }
  const current = currentAppointment(lead);
  return {
    bookingState: lead.bookingState,
    current: current && {
      id: current.providerAppointmentId,
      status: current.status,
      startAt: current.startAt,
      endAt: current.endAt,
    },
    appointments: Object.values(lead.appointments)
      .map((a) => [a.providerAppointmentId, a.status, a.startAt, a.providerUpdatedAt])
      .sort(),
    openTasks: openLeadTasks(tasks)
      .map((t) => `${t.id} ${t.kind} ${t.providerAppointmentId}`)
      .sort(),
    gate: automationGate(lead, DEFAULT_WORKSPACE_RULES, NOW),
  };
}

describe('GHL deliveries in any order', () => {
  it('Create (first times) → Update (new times) → Update (noshow), shuffled: a reschedule task and a no-show task, as in order', () => {
    const create = observation({ providerAppointmentId: 'g1', providerUpdatedAt: version(1) });
    const moved = observation({
      providerAppointmentId: 'g1',
      startAt: STARTS[1] ?? '',
      endAt: plus30(STARTS[1] ?? ''),
      providerUpdatedAt: version(2),
    });
    const noShow = { ...moved, status: 'no_show' as const, providerUpdatedAt: version(3) };
    const inOrder = outcome([create, moved, noShow]);
    expect(inOrder.openTasks.map((t) => t.split(' ')[1])).toEqual(
      expect.arrayContaining(['meeting-rescheduled', 'meeting-no-show']),
    );
    for (const order of [
      [noShow, moved, create],
      [moved, noShow, create],
      [create, noShow, moved, create],
    ])
      expect(outcome(order)).toEqual(inOrder);
  });

  it('100 random GHL histories (two appointments per lead): in order vs shuffled with duplicates give the same state, open tasks and gate', () => {
    const historiesArb = fc
      .tuple(ghlHistoryArb('g1'), fc.option(ghlHistoryArb('g2'), { nil: null }))
      .map(([a, b]) => [...a, ...(b ?? [])]);
    fc.assert(
      fc.property(
        historiesArb.chain((all) => fc.tuple(fc.constant(all), shuffledWithDuplicatesArb(all))),
        ([inOrder, shuffled]) => {
          expect(outcome(shuffled)).toEqual(outcome(inOrder));
        },
      ),
      RUNS,
    );
  });
});
