/**
 * The verification grade: examples (given / when / then) and fast-check properties over random
 * lead histories. fast-check prints `{ seed, path }` on failure; pass them back to replay.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReconEvent } from '../events/recon-event';
import { evolveLeadLifecycle, leadLifecycleFromEvents } from '../lead-lifecycle/evolve-lead-lifecycle';
import { currentAppointment, initialLeadLifecycle } from '../lead-lifecycle/lead-lifecycle-state';
import { reconEventArb } from '../testing/arbitraries';
import { checked, observation, observeAcrossStreams, registered, sentiment } from '../testing/builders';
import {
  evolveGradeEvidenceIds,
  gradeWithEvidence,
  initialGradeEvidenceIds,
  type GradeEvidenceIds,
} from './grade-evidence';
import { decideLabelReview } from './decide-label-review';
import { leadGrade } from './lead-grade';

const RUNS = { numRuns: Number(process.env['FC_RUNS'] ?? 200) };
const RULES = { bookedSentimentLabels: ['Meeting Booked'] };

/** Folds events with ids `e0`, `e1`, … and grades the result. */
function grade(events: readonly ReconEvent[]) {
  let fold = initialLeadLifecycle();
  let ids: GradeEvidenceIds = initialGradeEvidenceIds();
  events.forEach((event, i) => {
    ids = evolveGradeEvidenceIds(ids, fold, event, `e${i}`);
    fold = evolveLeadLifecycle(fold, event);
  });
  return { fold, ...gradeWithEvidence(fold, RULES, ids) };
}

const LABEL_AT = '2030-05-02T00:00:00.000Z';
const BEFORE_LABEL = '2030-05-01T12:00:00.000Z';
const AFTER_LABEL = '2030-05-03T00:00:00.000Z';

describe('lead grade (examples)', () => {
  it('given no label and no evidence, then unverified with no evidence', () => {
    expect(grade([registered()])).toMatchObject({ grade: 'unverified', evidence: [] });
  });

  it('given a booked label and no check, then label_only resting on the sentiment event', () => {
    expect(grade([registered(), sentiment('Meeting Booked', LABEL_AT)])).toMatchObject({
      grade: 'label_only',
      evidence: ['e1'],
    });
  });

  it('given a booked label and a successful check before it, then still label_only', () => {
    const r = grade([
      registered(),
      checked('ghl', { kind: 'none' }, BEFORE_LABEL),
      sentiment('Meeting Booked', LABEL_AT),
    ]);
    expect(r).toMatchObject({ grade: 'label_only', evidence: ['e2'] });
  });

  it('given a booked label and a successful check after it finding none, then contradicted (sentiment + check)', () => {
    const r = grade([
      registered(),
      sentiment('Meeting Booked', LABEL_AT),
      checked('ghl', { kind: 'none' }, AFTER_LABEL),
    ]);
    expect(r).toMatchObject({ grade: 'contradicted', evidence: ['e1', 'e2'] });
  });

  it('given two providers checked and only one answered since the label, then label_only; both, then contradicted', () => {
    const base = [
      registered(),
      checked('calendly', { kind: 'none' }, BEFORE_LABEL),
      sentiment('Meeting Booked', LABEL_AT),
      checked('ghl', { kind: 'none' }, AFTER_LABEL),
      checked('calendly', { kind: 'failed', code: 'CALENDLY_TIMEOUT' }, AFTER_LABEL),
    ];
    expect(grade(base).grade).toBe('label_only');
    const later = '2030-05-04T00:00:00.000Z';
    const r = grade([...base, checked('calendly', { kind: 'none' }, later)]);
    expect(r).toMatchObject({ grade: 'contradicted', evidence: ['e2', 'e3', 'e5'] });
  });

  it('given a scheduled appointment, then provider_confirmed on its booking event, whatever the label', () => {
    const booked = observeAcrossStreams([observation()]);
    for (const label of ['Meeting Booked', 'Not interested']) {
      const r = grade([registered(), sentiment(label, LABEL_AT), ...booked]);
      expect(r).toMatchObject({ grade: 'provider_confirmed', evidence: ['e2'] });
    }
  });

  it('given the appointment canceled and a check after the label, then contradicted; before any check, label_only', () => {
    const events = observeAcrossStreams([
      observation(),
      observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T10:00:00.000Z' }),
    ]);
    const labelled = [registered(), sentiment('Meeting Booked', LABEL_AT), ...events];
    expect(grade(labelled).grade).toBe('label_only');
    expect(grade([...labelled, checked('ghl', { kind: 'found', count: 1 }, AFTER_LABEL)]).grade).toBe('contradicted');
  });

  it('given a Calendly invitee replaced and its successor not seen, then provider_pending on the reschedule event', () => {
    const old = 'https://api.calendly.com/scheduled_events/E1/invitees/I1';
    const events = observeAcrossStreams([
      observation({ provider: 'calendly', providerAppointmentId: old }),
      observation({
        provider: 'calendly',
        providerAppointmentId: old,
        status: 'canceled',
        rescheduledTo: 'https://api.calendly.com/scheduled_events/E2/invitees/I2',
        providerUpdatedAt: '2030-06-02T10:00:00.000Z',
      }),
    ]);
    const r = grade([registered(), ...events]);
    expect(currentAppointment(r.fold)?.status).toBe('replaced');
    expect(r).toMatchObject({ grade: 'provider_pending', evidence: [`e${events.length}`] });
  });
});

describe('lead grade (properties)', () => {
  const history = fc.array(reconEventArb(), { maxLength: 25 });

  it('a live (not canceled) current provider appointment always grades provider_*, whatever the labels', () => {
    fc.assert(
      fc.property(history, (events) => {
        const { fold, grade: g } = grade(events);
        const current = currentAppointment(fold);
        const live = current !== null && current.status !== 'canceled';
        expect(g.startsWith('provider_')).toBe(live);
      }),
      RUNS,
    );
  });

  it('without a booked label a lead is provider_* or unverified, never label_only nor contradicted', () => {
    fc.assert(
      fc.property(history, (events) => {
        const { fold, grade: g } = grade(events);
        const booked = fold.sentiment !== null && fold.sentiment.label.trim().toLowerCase() === 'meeting booked';
        if (!booked) expect(['provider_confirmed', 'provider_pending', 'unverified']).toContain(g);
      }),
      RUNS,
    );
  });

  it('the evidence is exactly the ids of events that exist, bounded, and empty only for unverified', () => {
    fc.assert(
      fc.property(history, (events) => {
        const r = grade(events);
        const known = new Set(events.map((_, i) => `e${i}`));
        for (const id of r.evidence) expect(known.has(id)).toBe(true);
        expect(r.evidence.length).toBeLessThanOrEqual(4);
        expect(new Set(r.evidence).size).toBe(r.evidence.length);
        if (r.grade === 'unverified') expect(r.evidence).toEqual([]);
        else expect(r.evidence.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('contradicted always rests on the sentiment event and one successful check per provider checked', () => {
    fc.assert(
      fc.property(history, (events) => {
        const r = grade(events);
        if (r.grade !== 'contradicted') return;
        const [first, ...rest] = r.evidence;
        expect(events[Number(first?.slice(1))]?.type).toBe('LeadSentimentClassified');
        for (const id of rest) {
          const e = events[Number(id.slice(1))];
          expect(e?.type).toBe('LeadProviderChecked');
          if (e?.type === 'LeadProviderChecked') expect(e.data.outcome.kind).not.toBe('failed');
        }
      }),
      RUNS,
    );
  });

  it('the grade is the same function of the fold whether evidence ids are kept or not', () => {
    fc.assert(
      fc.property(history, (events) => {
        expect(grade(events).grade).toBe(leadGrade(leadLifecycleFromEvents(events), RULES));
      }),
      RUNS,
    );
  });
});

describe('decideLabelReview', () => {
  const SLA = { rules: RULES, slaHours: 24 };
  const labelled = [registered(), sentiment('Meeting Booked', LABEL_AT)];

  it('given a contradicted label past the SLA, then one event; folded, the same check decides nothing', () => {
    const checkedAt = '2030-05-03T00:00:00.000Z'; // 24 h after the label
    const fold = leadLifecycleFromEvents([...labelled, checked('ghl', { kind: 'none' }, checkedAt)]);
    const events = decideLabelReview(fold, { ...SLA, checkedAt });
    expect(events).toEqual([
      {
        type: 'LeadBookedLabelUnverified',
        data: expect.objectContaining({ labelClassifiedAt: LABEL_AT, providers: ['ghl'], checkedAt, slaHours: 24 }),
      },
    ]);
    const after = leadLifecycleFromEvents([...labelled, checked('ghl', { kind: 'none' }, checkedAt), ...events]);
    expect(decideLabelReview(after, { ...SLA, checkedAt: '2030-05-04T00:00:00.000Z' })).toEqual([]);
  });

  it('given the SLA not passed, a label_only lead, or a live appointment, then nothing', () => {
    const early = '2030-05-02T23:00:00.000Z';
    const contradictedEarly = leadLifecycleFromEvents([...labelled, checked('ghl', { kind: 'none' }, early)]);
    expect(decideLabelReview(contradictedEarly, { ...SLA, checkedAt: early })).toEqual([]);
    const late = '2030-05-05T00:00:00.000Z';
    const failed = leadLifecycleFromEvents([
      ...labelled,
      checked('ghl', { kind: 'failed', code: 'GHL_TIMEOUT' }, late),
    ]);
    expect(decideLabelReview(failed, { ...SLA, checkedAt: late })).toEqual([]);
    const booked = leadLifecycleFromEvents([
      ...labelled,
      ...observeAcrossStreams([observation()]),
      checked('ghl', { kind: 'found', count: 1 }, late),
    ]);
    expect(decideLabelReview(booked, { ...SLA, checkedAt: late })).toEqual([]);
  });

  it('given the meeting canceled after the label, then nothing (the cancellation has its own review); canceled before, reviewed', () => {
    const late = '2030-06-05T00:00:00.000Z';
    const canceled = observeAcrossStreams([
      observation(),
      observation({
        status: 'canceled',
        providerUpdatedAt: '2030-06-02T10:00:00.000Z',
        observedAt: '2030-06-02T10:00:05.000Z',
      }),
    ]);
    const after = leadLifecycleFromEvents([
      ...labelled,
      ...canceled,
      checked('ghl', { kind: 'found', count: 1 }, late),
    ]);
    expect(leadGrade(after, RULES)).toBe('contradicted');
    expect(decideLabelReview(after, { ...SLA, checkedAt: late })).toEqual([]);
    const relabel = sentiment('Meeting Booked', '2030-06-03T00:00:00.000Z');
    const before = leadLifecycleFromEvents([
      registered(),
      ...canceled,
      relabel,
      checked('ghl', { kind: 'found', count: 1 }, late),
    ]);
    expect(decideLabelReview(before, { ...SLA, checkedAt: late })).toHaveLength(1);
  });

  it('a new label after a reviewed one is reviewed again', () => {
    const first = '2030-05-03T00:00:00.000Z';
    const events = [...labelled, checked('ghl', { kind: 'none' }, first)];
    const reviewed = [...events, ...decideLabelReview(leadLifecycleFromEvents(events), { ...SLA, checkedAt: first })];
    const relabelled = [
      ...reviewed,
      sentiment('Meeting Booked', '2030-05-10T00:00:00.000Z'),
      checked('ghl', { kind: 'none' }, '2030-05-12T00:00:00.000Z'),
    ];
    expect(
      decideLabelReview(leadLifecycleFromEvents(relabelled), { ...SLA, checkedAt: '2030-05-12T00:00:00.000Z' }),
    ).toHaveLength(1);
  });
});
