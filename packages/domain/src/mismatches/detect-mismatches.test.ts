import { describe, expect, it } from 'vitest';
import { leadLifecycleFromEvents } from '../lead-lifecycle/evolve-lead-lifecycle';
import { checked, observation, observeAcrossStreams, registered, sentiment } from '../testing/builders';
import { detectMismatches } from './detect-mismatches';
import { DEFAULT_WORKSPACE_RULES, isBookedSentimentLabel } from './workspace-rules';

const NOW = '2030-06-10T00:00:00.000Z';
const rules = DEFAULT_WORKSPACE_RULES;
const kinds = (events: Parameters<typeof leadLifecycleFromEvents>[0], now = NOW) =>
  detectMismatches(leadLifecycleFromEvents(events), rules, now).map((m) => m.kind);
const booking = () => observeAcrossStreams([observation()]);
const canceledBooking = () =>
  observeAcrossStreams([
    observation(),
    observation({ status: 'canceled', providerUpdatedAt: '2030-06-02T00:00:00.000Z' }),
  ]);

describe('detectMismatches', () => {
  it('given sentiment "Meeting Booked" and a successful check that found nothing, then sentiment_booked_no_evidence since the later of the two', () => {
    const found = detectMismatches(
      leadLifecycleFromEvents([
        registered(),
        sentiment('Meeting Booked', '2030-05-02T00:00:00.000Z'),
        checked('ghl', { kind: 'none' }, '2030-05-03T00:00:00.000Z'),
      ]),
      rules,
      NOW,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      kind: 'sentiment_booked_no_evidence',
      since: '2030-05-03T00:00:00.000Z',
      autoCorrected: true,
    });
    expect(found[0]?.evidence.checks).toEqual([
      { provider: 'ghl', checkedAt: '2030-05-03T00:00:00.000Z', outcome: { kind: 'none' } },
    ]);
  });

  it('given sentiment "Meeting Booked" and no check yet (unknown), then no mismatch: the lead is unverified', () => {
    expect(kinds([registered(), sentiment('Meeting Booked')])).toEqual([]);
    expect(
      kinds([registered(), sentiment('Meeting Booked'), checked('ghl', { kind: 'failed', code: 'GHL_TIMEOUT' })]),
    ).toEqual([]);
  });

  it('given a provider booking and a sentiment that is not booked (or none), then evidence_not_marked_booked', () => {
    expect(kinds([registered(), sentiment('Interested'), ...booking()])).toEqual(['evidence_not_marked_booked']);
    expect(kinds([registered(), ...booking()])).toEqual(['evidence_not_marked_booked']);
    // also once the meeting is assumed completed
    expect(kinds([registered(), sentiment('Interested'), ...booking()], '2030-07-01T00:00:00.000Z')).toEqual([
      'evidence_not_marked_booked',
    ]);
  });

  it('given the latest appointment canceled and sentiment still booked, then canceled_but_booked_status', () => {
    const found = detectMismatches(
      leadLifecycleFromEvents([registered(), sentiment('Meeting Booked'), ...canceledBooking()]),
      rules,
      NOW,
    );
    expect(found.map((m) => m.kind)).toEqual(['canceled_but_booked_status']);
    expect(found[0]?.evidence.appointment).toMatchObject({ providerAppointmentId: 'appt-1', status: 'canceled' });
  });

  it('given agreement (booked + booked label, canceled + other label), then no mismatch', () => {
    expect(kinds([registered(), sentiment('Meeting Booked'), ...booking()])).toEqual([]);
    expect(kinds([registered(), sentiment('Not Interested'), ...canceledBooking()])).toEqual([]);
  });

  it('compares labels trimmed and case-insensitively, with the workspace labels', () => {
    expect(isBookedSentimentLabel('  meeting BOOKED ', rules)).toBe(true);
    expect(isBookedSentimentLabel('Interested', rules)).toBe(false);
    expect(isBookedSentimentLabel(null, rules)).toBe(false);
    const custom = { bookedSentimentLabels: ['Call scheduled'] };
    const lead = leadLifecycleFromEvents([registered(), sentiment('call SCHEDULED'), ...booking()]);
    expect(detectMismatches(lead, custom, NOW)).toEqual([]);
    expect(detectMismatches(lead, rules, NOW).map((m) => m.kind)).toEqual(['evidence_not_marked_booked']);
  });
});
