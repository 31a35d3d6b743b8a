import { describe, expect, it } from 'vitest';
import { checked, registered, WS, LEAD } from '../testing/builders';
import type { LeadEvent } from '../events/lead-events';
import { leadLifecycleFromEvents } from '../lead-lifecycle/evolve-lead-lifecycle';
import { forProvider } from '../lead-lifecycle/lead-lifecycle-state';
import { decideLeadCheck, type RecordLeadChecks } from './decide-lead-check';

const AT = '2030-05-10T00:00:00.000Z';
const RANGE = { from: '2029-01-01T00:00:00.000Z', to: '2030-01-01T00:00:00.000Z' };

function command(overrides: Partial<RecordLeadChecks> = {}): RecordLeadChecks {
  return {
    type: 'RecordLeadChecks',
    workspaceId: WS,
    leadId: LEAD,
    checkedAt: AT,
    checks: [{ provider: 'ghl', outcome: { kind: 'none' } }],
    range: null,
    onlyWhenChanged: false,
    ...overrides,
  };
}

describe('decideLeadCheck', () => {
  it('given a registered lead, when a full check finds none, then one watermark and the lead is not_booked', () => {
    const state = leadLifecycleFromEvents([registered()]);
    const events = decideLeadCheck(command(), state);
    expect(events).toEqual([
      {
        type: 'LeadProviderChecked',
        data: { workspaceId: WS, leadId: LEAD, provider: 'ghl', outcome: { kind: 'none' }, checkedAt: AT },
      },
    ]);
    expect(leadLifecycleFromEvents([registered(), ...events]).bookingState).toBe('not_booked');
  });

  it('given the same round already recorded, then nothing (a retry is idempotent)', () => {
    const state = leadLifecycleFromEvents([registered(), checked('ghl', { kind: 'none' }, AT)]);
    expect(decideLeadCheck(command(), state)).toEqual([]);
  });

  it('given a range-limited check finding none, then it is recorded with its range and proves nothing', () => {
    const events = decideLeadCheck(command({ range: RANGE }), leadLifecycleFromEvents([registered()]));
    expect(events.map((e) => e.data.range)).toEqual([RANGE]);
    const after = leadLifecycleFromEvents([registered(), ...events]);
    expect(after.bookingState).toBe('unknown');
    expect(forProvider(after.checks, 'ghl')).toBeNull();
  });

  it('given a backfill over the same range already recorded with the same outcome, then nothing; another range is recorded', () => {
    const first: LeadEvent[] = decideLeadCheck(
      command({ range: RANGE, onlyWhenChanged: true }),
      leadLifecycleFromEvents([registered()]),
    );
    const state = leadLifecycleFromEvents([registered(), ...first]);
    expect(
      decideLeadCheck(command({ range: RANGE, onlyWhenChanged: true, checkedAt: '2030-06-01T00:00:00.000Z' }), state),
    ).toEqual([]);
    const other = { from: RANGE.from, to: '2030-02-01T00:00:00.000Z' };
    expect(
      decideLeadCheck(command({ range: other, onlyWhenChanged: true, checkedAt: '2030-06-01T00:00:00.000Z' }), state),
    ).toHaveLength(1);
  });
});
