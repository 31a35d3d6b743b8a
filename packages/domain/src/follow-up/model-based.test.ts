/**
 * Model-based test: random provider histories over two leads (GHL appointments moved in place,
 * canceled, rebooked, marked no-show, invalid, deleted; Calendly invitees booked, marked no-show,
 * canceled; Calendly reschedule chains) observed through random channels (webhooks duplicated and reordered, some lost and
 * found later by a poll). Once every version has been observed, each lead's booking state, open
 * review tasks and gate must equal a small reference model written here from the provider truth
 * and the operator's resolutions (made once everything was observed), without the domain's fold. fast-check prints `{ seed, path }` on failure; FC_RUNS raises runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AppointmentStatus } from '../events/appointment-events';
import type { Provider } from '../events/primitives';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadLifecycle } from '../lead-lifecycle/evolve-lead-lifecycle';
import { initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { DEFAULT_WORKSPACE_RULES } from '../mismatches/workspace-rules';
import type { ObserveProviderAppointment } from '../observation';
import { observation, observeAcrossStreams, registered, taskResolved } from '../testing/builders';
import { automationGate } from './automation-gate';
import { evolveLeadTasks, initialLeadTasks, openLeadTasks } from './lead-tasks';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 150) };
const NOW = '2030-06-10T00:00:00.000Z';
const LEADS = ['lead-a', 'lead-b'] as const;
const STARTS = ['2030-06-18T15:00:00.000Z', '2030-06-19T15:00:00.000Z', '2030-06-21T09:00:00.000Z'];
const plus30 = (iso: string) => new Date(Date.parse(iso) + 30 * 60_000).toISOString();
const version = (i: number) => new Date(Date.UTC(2030, 5, 1, 10, i)).toISOString();
const calendlyUri = (n: number) => `https://api.calendly.com/scheduled_events/ev${n}/invitees/inv${n}`;

interface Version {
  readonly status: AppointmentStatus;
  readonly start: string;
  readonly deleted: boolean;
  /** Calendly reschedule chain links. */
  readonly rescheduledFrom?: string;
  readonly rescheduledTo?: string;
}
interface History {
  readonly provider: Provider;
  readonly id: string;
  readonly lead: string;
  readonly versions: readonly Version[];
}

const ghlArb = (n: number) =>
  fc
    .record({
      lead: fc.constantFrom(...LEADS),
      create: fc.constantFrom(...STARTS),
      updates: fc.array(
        fc.record({
          status: fc.constantFrom<AppointmentStatus>('scheduled', 'canceled', 'showed', 'no_show', 'invalid'),
          start: fc.constantFrom(...STARTS),
        }),
        { maxLength: 4 },
      ),
      deleted: fc.boolean(),
    })
    .map(({ lead, create, updates, deleted }): History => {
      const versions: Version[] = [
        { status: 'scheduled', start: create, deleted: false },
        ...updates.map((u) => ({ ...u, deleted: false })),
      ];
      const last = versions[versions.length - 1];
      if (deleted && last) versions.push({ status: 'canceled', start: last.start, deleted: true });
      return { provider: 'ghl', id: `g${n}`, lead, versions };
    });

const calendlyArb = (n: number) =>
  fc
    .record({
      lead: fc.constantFrom(...LEADS),
      start: fc.constantFrom(...STARTS),
      noShow: fc.boolean(),
      canceled: fc.boolean(),
    })
    .map(({ lead, start, noShow, canceled }): History => {
      const versions: Version[] = [{ status: 'scheduled', start, deleted: false }];
      if (noShow) versions.push({ status: 'no_show', start, deleted: false });
      if (canceled) versions.push({ status: 'canceled', start, deleted: false });
      return { provider: 'calendly', id: calendlyUri(n), lead, versions };
    });

/** A Calendly reschedule chain: invitee 0 replaced by 1 replaced by 2…; the last may be marked no-show or canceled. */
const calendlyChainArb = (n: number) =>
  fc
    .record({
      lead: fc.constantFrom(...LEADS),
      length: fc.integer({ min: 2, max: 3 }),
      end: fc.constantFrom<AppointmentStatus>('scheduled', 'no_show', 'canceled'),
    })
    .map(({ lead, length, end }): History[] => {
      const ids = Array.from({ length }, (_, k) => calendlyUri(100 + n * 10 + k));
      return ids.map((id, k) => {
        const start = STARTS[k % STARTS.length] as string;
        const from = k > 0 ? { rescheduledFrom: ids[k - 1] as string } : {};
        const versions: Version[] = [{ status: 'scheduled', start, deleted: false, ...from }];
        const next = ids[k + 1];
        if (next !== undefined)
          versions.push({ status: 'canceled', start, deleted: false, ...from, rescheduledTo: next });
        else if (end !== 'scheduled') versions.push({ status: end, start, deleted: false, ...from });
        return { provider: 'calendly', id, lead, versions };
      });
    });

function toObservation(h: History, v: Version, i: number): ObserveProviderAppointment {
  return observation({
    rescheduledFrom: v.rescheduledFrom ?? null,
    rescheduledTo: v.rescheduledTo ?? null,
    leadId: h.lead,
    provider: h.provider,
    providerAppointmentId: h.id,
    status: v.status,
    startAt: v.start,
    endAt: plus30(v.start),
    deleted: v.deleted,
    providerUpdatedAt: version(i + 1),
  });
}

/** Channels: each version delivered by webhook (maybe twice) or lost and found by a later poll; reordered. */
const deliveriesArb = (histories: readonly History[]) => {
  const all = histories.flatMap((h) => h.versions.map((v, i) => toObservation(h, v, i)));
  return fc
    .array(fc.constantFrom('webhook', 'twice', 'lost'), { minLength: all.length, maxLength: all.length })
    .chain((channels) => {
      const webhooks = all.flatMap((o, i) => (channels[i] === 'twice' ? [o, o] : channels[i] === 'webhook' ? [o] : []));
      const found = all.filter((_, i) => channels[i] === 'lost').map((o) => ({ ...o, source: 'poller' as const }));
      return fc
        .tuple(
          fc.shuffledSubarray(webhooks, { minLength: webhooks.length }),
          fc.shuffledSubarray(found, { minLength: found.length }),
        )
        .map(([w, f]) => [...w, ...f]);
    });
};

// ---- the reference model: provider truth → what recon must show (independent of the domain) ----

function finalVersion(h: History): Version {
  const last = h.versions[h.versions.length - 1] as Version;
  // An invitee canceled by a reschedule is replaced: its successor carries the meeting.
  if (last.rescheduledTo !== undefined) return { ...last, status: 'replaced' as AppointmentStatus };
  // Calendly never reactivates a canceled invitee; a GHL delete is the last word anyway.
  if (h.provider === 'calendly' && h.versions.some((v) => v.status === 'canceled'))
    return { ...last, status: 'canceled' };
  return last;
}

/** `resolved`: the (appointment, kind) keys an operator resolved once everything was observed. */
function referenceFor(lead: string, histories: readonly History[], resolved: ReadonlySet<string>) {
  const mine = histories.filter((h) => h.lead === lead);
  const real = mine
    .map((h) => ({ h, v: finalVersion(h) }))
    .filter(({ v }) => v.status !== 'invalid' && (v.status as string) !== 'replaced');
  let bookingState = 'unknown';
  if (real.some(({ v }) => v.status === 'scheduled')) bookingState = 'booked';
  else if (real.length > 0) {
    const latest = [...real].sort((a, b) => a.v.start.localeCompare(b.v.start) || a.h.id.localeCompare(b.h.id)).pop();
    bookingState =
      latest?.v.status === 'showed' ? 'completed' : latest?.v.status === 'no_show' ? 'no_show' : 'canceled';
  }
  const tasks: string[] = [];
  for (const h of mine) {
    const last = finalVersion(h);
    const canceledEver =
      h.provider === 'ghl' ? h.versions.some((v) => v.status === 'canceled') : last.status === 'canceled';
    if (canceledEver) tasks.push(`${h.id} meeting-canceled`);
    if ((last.status as string) === 'replaced') tasks.push(`${h.id} meeting-rescheduled`);
    if (h.provider === 'ghl' && new Set(h.versions.map((v) => v.start)).size > 1)
      tasks.push(`${h.id} meeting-rescheduled`);
    if (last.status === 'no_show') tasks.push(`${h.id} meeting-no-show`);
  }
  const current =
    real.length === 0
      ? null
      : [...real].sort((a, b) => a.v.start.localeCompare(b.v.start) || a.h.id.localeCompare(b.h.id)).pop();
  const reviewed = (kind: string) =>
    current !== null && current !== undefined && resolved.has(`${current.h.id} ${kind}`);
  const gate =
    bookingState === 'booked'
      ? { mayEnroll: false, mustPause: true, reason: 'booked' }
      : bookingState === 'completed'
        ? { mayEnroll: false, mustPause: true, reason: 'completed' }
        : bookingState === 'canceled'
          ? reviewed('meeting-canceled')
            ? { mayEnroll: true, mustPause: false, reason: 'canceled_reviewed' }
            : { mayEnroll: false, mustPause: true, reason: 'canceled_needs_review' }
          : bookingState === 'no_show'
            ? reviewed('meeting-no-show')
              ? { mayEnroll: true, mustPause: false, reason: 'no_show_reviewed' }
              : { mayEnroll: false, mustPause: true, reason: 'no_show_needs_review' }
            : { mayEnroll: false, mustPause: false, reason: 'unverified' };
  return { bookingState, openTasks: tasks.filter((t) => !resolved.has(t)).sort(), gate };
}

/** Every (appointment, kind) an operator could be shown. */
function resolvableKeys(histories: readonly History[]): string[] {
  return histories.flatMap((h) =>
    ['meeting-canceled', 'meeting-rescheduled', 'meeting-no-show'].map((k) => `${h.id} ${k}`),
  );
}

// ---- the system under test: the domain's deciders, lead fold, tasks and gate ----

function recon(lead: string, deliveries: readonly ObserveProviderAppointment[], resolve: ReadonlySet<string>) {
  const events: ReconEvent[] = [
    registered(undefined, lead),
    ...observeAcrossStreams(
      deliveries.map((o, i) => ({ ...o, observedAt: new Date(Date.UTC(2030, 5, 2, 0, i)).toISOString() })),
    ),
  ];
  let fold = initialLeadLifecycle();
  let tasks = initialLeadTasks();
  for (const e of events) {
    if (e.data.leadId !== lead) continue;
    fold = evolveLeadLifecycle(fold, e);
    tasks = evolveLeadTasks(tasks, fold, e, NOW);
  }
  // The operator resolves what they see, by the task ids recon shows.
  for (const t of openLeadTasks(tasks)) {
    if (!resolve.has(`${t.providerAppointmentId} ${t.kind}`)) continue;
    const e = taskResolved(t.id, NOW, lead);
    fold = evolveLeadLifecycle(fold, e);
    tasks = evolveLeadTasks(tasks, fold, e, NOW);
  }
  return {
    bookingState: fold.bookingState,
    openTasks: openLeadTasks(tasks)
      .map((t) => `${t.providerAppointmentId} ${t.kind}`)
      .sort(),
    gate: automationGate(fold, DEFAULT_WORKSPACE_RULES, NOW),
  };
}

describe('model-based: provider histories through random channels', () => {
  it('every lead ends where the reference model says: booking state, open tasks, gate', () => {
    const historiesArb = fc
      .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 2 }), fc.boolean())
      .chain(([g, c, chain]) =>
        fc.tuple(
          fc.tuple(...g.map((_, i) => ghlArb(i))),
          c.length === 0 ? fc.constant([] as History[]) : fc.tuple(...c.map((_, i) => calendlyArb(i))),
          chain ? calendlyChainArb(0) : fc.constant([] as History[]),
        ),
      )
      .map(([g, c, chain]) => [...g, ...c, ...chain]);
    fc.assert(
      fc.property(
        historiesArb.chain((histories) =>
          fc.tuple(fc.constant(histories), deliveriesArb(histories), fc.subarray(resolvableKeys(histories))),
        ),
        ([histories, deliveries, resolvedKeys]) => {
          const resolved = new Set(resolvedKeys);
          for (const lead of LEADS)
            expect({ lead, ...recon(lead, deliveries, resolved) }).toEqual({
              lead,
              ...referenceFor(lead, histories, resolved),
            });
        },
      ),
      RUNS,
    );
  });
});
